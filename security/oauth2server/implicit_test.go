package oauth2server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// implicitHarness adds the client "legacy", which opts in to the implicit
// grant.
func implicitHarness(t *testing.T) (*harness, *browser) {
	t.Helper()
	h := newHarness(t, nil)
	h.clients["legacy"] = Client{ID: "legacy", Public: true, Scopes: []string{"me", "items"},
		RedirectURIs: []string{swaggerRedirect}, Grants: []string{GrantImplicit}}
	return h, h.browser(t)
}

func implicitQuery() url.Values {
	return url.Values{
		"response_type": {"token"},
		"client_id":     {"legacy"},
		"redirect_uri":  {swaggerRedirect},
		"scope":         {"items"},
		"state":         {testState},
	}
}

// fragmentOf checks a 302 to swaggerRedirect without a query and returns
// the parameters of its fragment.
func fragmentOf(t *testing.T, res *http.Response) url.Values {
	t.Helper()
	if res.StatusCode != http.StatusFound {
		t.Fatalf("status %d, want 302", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	base, frag, ok := strings.Cut(loc, "#")
	if !ok || base != swaggerRedirect {
		t.Fatalf("Location %q, want %s#...", loc, swaggerRedirect)
	}
	v, err := url.ParseQuery(frag)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestImplicitGrant(t *testing.T) {
	h, b := implicitHarness(t)
	res, _ := b.signIn(t, b.loginForm(t, implicitQuery()), "johndoe", "secret")
	got := fragmentOf(t, res)
	call := h.issuer.last()
	want := url.Values{
		"access_token": {fmt.Sprintf("at-%d", h.issuer.count())},
		"token_type":   {"bearer"},
		"expires_in":   {got.Get("expires_in")},
		"scope":        {"items"},
		"state":        {testState},
	}
	if call.subject != "sub-john" || call.clientID != "legacy" || strings.Join(call.scopes, " ") != "items" {
		t.Fatalf("issued %+v, want johndoe's token for legacy with scope items", call)
	}
	if got.Encode() != want.Encode() || got.Get("expires_in") == "" || got.Get("expires_in") == "0" {
		t.Fatalf("fragment %v, want %v", got, want)
	}
	if h.codes.Len() != 0 {
		t.Fatalf("the implicit grant stored %d codes, want none", h.codes.Len())
	}
}

func TestImplicitGrantRefusals(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(url.Values)
		user, pw string
		// inFragment is the expected error code in the fragment; empty
		// means a query error with unsupported_response_type.
		inFragment string
		queryError string
	}{
		{name: "client without the implicit grant", edit: func(q url.Values) { q.Set("client_id", "swagger") },
			queryError: codeUnsupportedResponseType},
		{name: "malformed scope", edit: func(q url.Values) { q.Set("scope", `a"b`) }, inFragment: codeInvalidScope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, b := implicitHarness(t)
			q := implicitQuery()
			tt.edit(q)
			res, _ := b.get(t, q)
			if tt.queryError != "" {
				got := redirected(t, res, swaggerRedirect)
				if got.Get("error") != tt.queryError || strings.Contains(res.Header.Get("Location"), "#") {
					t.Fatalf("Location %q, want error=%s in the query", res.Header.Get("Location"), tt.queryError)
				}
				return
			}
			got := fragmentOf(t, res)
			if got.Get("error") != tt.inFragment || got.Get("state") != testState {
				t.Fatalf("fragment %v, want error=%s and the state", got, tt.inFragment)
			}
		})
	}
}
