package oauth2server

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// login gets a token pair for johndoe, through client when it is not empty.
func (h *harness) login(t *testing.T, client, scope string) tokenResponse {
	t.Helper()
	v := url.Values{"username": {"johndoe"}, "password": {"secret"}, "scope": {scope}}
	if client != "" {
		v.Set("client_id", client)
	}
	tr := decodeToken(t, h.post(v))
	if tr.RefreshToken == "" {
		t.Fatal("login returned no refresh token")
	}
	return tr
}

func (h *harness) refreshWith(rt string, extra ...string) *responseRecorder {
	v := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return h.post(v)
}

func wantInvalidGrant(t *testing.T, w *responseRecorder) {
	t.Helper()
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400; body %s", w.Code, w.Body)
	}
	if er := decodeError(t, w); er.Error != codeInvalidGrant {
		t.Fatalf("error %q, want invalid_grant", er.Error)
	}
}

func TestRefreshRotation(t *testing.T) {
	h := newHarness(t, nil)
	first := h.login(t, "", "")

	second := decodeToken(t, h.refreshWith(first.RefreshToken))
	if second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
		t.Fatalf("refresh returned refresh token %q, want a new one", second.RefreshToken)
	}
	if second.AccessToken == first.AccessToken || second.Scope != "me items" {
		t.Errorf("refresh answer %+v, want a new access token with the original scope", second)
	}

	narrowed := decodeToken(t, h.refreshWith(second.RefreshToken, "scope", "items"))
	if narrowed.Scope != "items" {
		t.Errorf("narrowed scope %q, want items", narrowed.Scope)
	}
	// Narrowing one access token keeps the refresh token's scope.
	third := decodeToken(t, h.refreshWith(narrowed.RefreshToken))
	if third.Scope != "me items" {
		t.Errorf("scope after a narrowed refresh %q, want me items", third.Scope)
	}

	t.Run("widening is refused", func(t *testing.T) {
		h := newHarness(t, nil)
		tr := h.login(t, "", "me")
		w := h.refreshWith(tr.RefreshToken, "scope", "me items")
		if w.Code != 400 || decodeError(t, w).Error != codeInvalidScope {
			t.Fatalf("status %d body %s, want invalid_scope", w.Code, w.Body)
		}
	})
}

func TestRefreshReuseRevokesFamily(t *testing.T) {
	h := newHarness(t, nil)
	first := h.login(t, "", "")
	other := h.login(t, "", "") // a second login: another family
	second := decodeToken(t, h.refreshWith(first.RefreshToken))

	// The first token is presented again: someone else holds it.
	wantInvalidGrant(t, h.refreshWith(first.RefreshToken))

	tests := []struct {
		name string
		rt   string
		ok   bool
	}{
		{"newer token of the family", second.RefreshToken, false},
		{"reused token again", first.RefreshToken, false},
		{"token of another family", other.RefreshToken, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := h.refreshWith(tt.rt)
			if tt.ok {
				decodeToken(t, w)
				return
			}
			wantInvalidGrant(t, w)
		})
	}
}

// TestRefreshConcurrentReuse races two exchanges of one token: one may win,
// and whichever token it got must be dead afterwards.
func TestRefreshConcurrentReuse(t *testing.T) {
	h := newHarness(t, nil)
	tr := h.login(t, "", "")
	var wg sync.WaitGroup
	results := make([]*responseRecorder, 2)
	for i := range results {
		wg.Go(func() { results[i] = h.refreshWith(tr.RefreshToken) })
	}
	wg.Wait()
	wins := 0
	for _, w := range results {
		if w.Code != http.StatusOK {
			wantInvalidGrant(t, w)
			continue
		}
		wins++
		wantInvalidGrant(t, h.refreshWith(decodeToken(t, w).RefreshToken))
	}
	if wins > 1 {
		t.Errorf("%d exchanges of one refresh token succeeded", wins)
	}
}

func TestRefreshRefusals(t *testing.T) {
	tests := []struct {
		name   string
		client string // client of the login
		setup  func(h *harness)
		extra  []string // more form values of the refresh
	}{
		{name: "expired", setup: func(h *harness) { h.clock.Advance(DefaultRefreshTTL) }},
		{name: "user disabled since", setup: func(h *harness) { h.users.set("johndoe", func(u *User) { u.Disabled = true }) }},
		{name: "user deleted since", setup: func(h *harness) {
			h.users.mu.Lock()
			delete(h.users.users, "johndoe")
			h.users.mu.Unlock()
		}},
		{name: "issued to a client, refreshed without", client: "swagger"},
		{name: "issued without client, refreshed by one", extra: []string{"client_id", "swagger"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			tr := h.login(t, tt.client, "")
			if tt.setup != nil {
				tt.setup(h)
			}
			wantInvalidGrant(t, h.refreshWith(tr.RefreshToken, tt.extra...))
		})
	}
	t.Run("same public client", func(t *testing.T) {
		h := newHarness(t, nil)
		tr := h.login(t, "swagger", "")
		h.clock.Advance(DefaultRefreshTTL - time.Second)
		decodeToken(t, h.refreshWith(tr.RefreshToken, "client_id", "swagger"))
		if c := h.issuer.last(); c.clientID != "swagger" {
			t.Errorf("issuer client %q, want swagger", c.clientID)
		}
	})
	t.Run("user lost a scope since", func(t *testing.T) {
		h := newHarness(t, nil)
		tr := h.login(t, "", "")
		h.users.set("johndoe", func(u *User) { u.Scopes = []string{"me"} })
		if got := decodeToken(t, h.refreshWith(tr.RefreshToken)).Scope; got != "me" {
			t.Errorf("scope %q, want me", got)
		}
	})
}
