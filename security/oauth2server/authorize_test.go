package oauth2server

import (
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// The PKCE pair of RFC 7636 Appendix B.
const (
	rfcVerifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	// testState has characters that need encoding; it must come back as is.
	testState = "st a&te=1/é+%"
)

// browser talks to a real server on loopback, keeps cookies and does not
// follow redirects, so a test sees each 302.
type browser struct {
	base   string
	client *http.Client
}

func (h *harness) browser(t *testing.T) *browser {
	t.Helper()
	ts := httptest.NewServer(h.engine)
	t.Cleanup(ts.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{base: ts.URL, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// authzQuery is a good authorization request for the swagger client.
func authzQuery() url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {"swagger"},
		"redirect_uri":          {swaggerRedirect},
		"scope":                 {"me"},
		"state":                 {testState},
		"code_challenge":        {rfcChallenge},
		"code_challenge_method": {"S256"},
	}
}

func (b *browser) get(t *testing.T, q url.Values) (*http.Response, string) {
	t.Helper()
	res, err := b.client.Get(b.base + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return res, drain(t, res)
}

func (b *browser) postForm(t *testing.T, form url.Values) (*http.Response, string) {
	t.Helper()
	res, err := b.client.PostForm(b.base+"/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	return res, drain(t, res)
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

// hiddenFields reads the hidden inputs of a login page.
func hiddenFields(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(page, -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	if v.Get("form_token") == "" {
		t.Fatalf("no form_token in the page:\n%s", page)
	}
	return v
}

// loginForm opens the login page for q and returns its hidden fields.
func (b *browser) loginForm(t *testing.T, q url.Values) url.Values {
	t.Helper()
	res, page := b.get(t, q)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /authorize: status %d, want 200:\n%s", res.StatusCode, page)
	}
	return hiddenFields(t, page)
}

// signIn submits the login form with the given credentials.
func (b *browser) signIn(t *testing.T, hidden url.Values, username, pw string) (*http.Response, string) {
	t.Helper()
	form := url.Values{}
	for k, v := range hidden {
		form[k] = slices.Clone(v)
	}
	form.Set("username", username)
	form.Set("password", pw)
	return b.postForm(t, form)
}

// redirected checks a 302 to redirectURI and returns its query.
func redirected(t *testing.T, res *http.Response, redirectURI string) url.Values {
	t.Helper()
	if res.StatusCode != http.StatusFound {
		t.Fatalf("status %d, want 302", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, redirectURI) {
		t.Fatalf("Location %q does not start with %q", loc, redirectURI)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// authorizeCode runs GET and POST /authorize as johndoe and returns the code.
func (b *browser) authorizeCode(t *testing.T, q url.Values) string {
	t.Helper()
	res, _ := b.signIn(t, b.loginForm(t, q), "johndoe", "secret")
	got := redirected(t, res, q.Get("redirect_uri"))
	if got.Get("state") != q.Get("state") {
		t.Errorf("state %q, want %q unchanged", got.Get("state"), q.Get("state"))
	}
	if got.Get("code") == "" {
		t.Fatalf("no code in the redirect: %v", got)
	}
	return got.Get("code")
}

func codeExchange(code, verifier, redirect string) url.Values {
	return url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier},
		"redirect_uri": {redirect}, "client_id": {"swagger"},
	}
}

func TestAuthorizationCodeFlow(t *testing.T) {
	h := newHarness(t, nil)
	b := h.browser(t)

	res, page := b.get(t, authzQuery())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d:\n%s", res.StatusCode, page)
	}
	for _, id := range []string{`id="username"`, `id="password"`, `id="login"`} {
		if !strings.Contains(page, id) {
			t.Errorf("login page has no %s", id)
		}
	}
	if res.Header.Get("X-Frame-Options") != "DENY" || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("login page headers %v lack the framing or caching guard", res.Header)
	}
	hidden := hiddenFields(t, page)
	for k, v := range authzQuery() {
		if hidden.Get(k) != v[0] {
			t.Errorf("hidden %s = %q, want %q", k, hidden.Get(k), v[0])
		}
	}

	res, _ = b.signIn(t, hidden, "johndoe", "secret")
	got := redirected(t, res, swaggerRedirect)
	if got.Get("state") != testState {
		t.Errorf("state %q, want %q", got.Get("state"), testState)
	}
	code := got.Get("code")
	if len(code) != 43 {
		t.Fatalf("code %q, want 43 base64url characters", code)
	}

	tr := decodeToken(t, h.post(codeExchange(code, rfcVerifier, swaggerRedirect)))
	if tr.Scope != "me" || tr.RefreshToken == "" {
		t.Errorf("token %+v, want scope me and a refresh token", tr)
	}
	if c := h.issuer.last(); c.subject != "sub-john" || c.clientID != "swagger" || !slices.Equal(c.scopes, []string{"me"}) {
		t.Errorf("issuer got %+v", c)
	}
	// The redeemed code stays, marked used, until it expires.
	if h.codes.Len() != 1 {
		t.Errorf("%d codes in the store, want the used one", h.codes.Len())
	}
}

func TestAuthorizationCodeRefusals(t *testing.T) {
	tests := []struct {
		name string
		// exchange is the token request; before runs before it.
		exchange func(code string) url.Values
		before   func(h *harness)
		basic    string
		status   int
		errCode  string
	}{
		{name: "wrong verifier", exchange: func(c string) url.Values {
			return codeExchange(c, strings.Repeat("x", 43), swaggerRedirect)
		}, status: 400, errCode: codeInvalidGrant},
		{name: "malformed verifier", exchange: func(c string) url.Values {
			return codeExchange(c, "short", swaggerRedirect)
		}, status: 400, errCode: codeInvalidGrant},
		{name: "redirect_uri mismatch", exchange: func(c string) url.Values {
			return codeExchange(c, rfcVerifier, otherRedirect)
		}, status: 400, errCode: codeInvalidGrant},
		{name: "redirect_uri with extra slash", exchange: func(c string) url.Values {
			return codeExchange(c, rfcVerifier, swaggerRedirect+"/")
		}, status: 400, errCode: codeInvalidGrant},
		{name: "expired", before: func(h *harness) { h.clock.Advance(DefaultCodeTTL) }, exchange: func(c string) url.Values {
			return codeExchange(c, rfcVerifier, swaggerRedirect)
		}, status: 400, errCode: codeInvalidGrant},
		{name: "another client", exchange: func(c string) url.Values {
			v := codeExchange(c, rfcVerifier, swaggerRedirect)
			v.Del("client_id")
			return v
		}, basic: basicAuth("confidential", confidentialSecret), status: 400, errCode: codeInvalidGrant},
		{name: "user disabled since", before: func(h *harness) {
			h.users.set("johndoe", func(u *User) { u.Disabled = true })
		}, exchange: func(c string) url.Values {
			return codeExchange(c, rfcVerifier, swaggerRedirect)
		}, status: 400, errCode: codeInvalidGrant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			code := h.browser(t).authorizeCode(t, authzQuery())
			if tt.before != nil {
				tt.before(h)
			}
			w := h.do(req{body: tt.exchange(code).Encode(), basic: tt.basic})
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if er := decodeError(t, w); er.Error != tt.errCode {
				t.Fatalf("error %q, want %q", er.Error, tt.errCode)
			}
			// A failed exchange spends the code: the right request fails too.
			wantInvalidGrant(t, h.post(codeExchange(code, rfcVerifier, swaggerRedirect)))
		})
	}
	t.Run("code reuse", func(t *testing.T) {
		h := newHarness(t, nil)
		code := h.browser(t).authorizeCode(t, authzQuery())
		first := decodeToken(t, h.post(codeExchange(code, rfcVerifier, swaggerRedirect)))
		rotated := decodeToken(t, h.refreshWith(first.RefreshToken, "client_id", "swagger"))
		other := h.browser(t).authorizeCode(t, authzQuery())
		kept := decodeToken(t, h.post(codeExchange(other, rfcVerifier, swaggerRedirect)))
		wantInvalidGrant(t, h.post(codeExchange(code, rfcVerifier, swaggerRedirect)))
		// The second redemption revoked the refresh tokens of the first,
		// the one it was rotated into included, and nothing of another code.
		wantInvalidGrant(t, h.refreshWith(rotated.RefreshToken, "client_id", "swagger"))
		decodeToken(t, h.refreshWith(kept.RefreshToken, "client_id", "swagger"))
	})
	t.Run("a code whose first redemption failed", func(t *testing.T) {
		h := newHarness(t, nil)
		code := h.browser(t).authorizeCode(t, authzQuery())
		wantInvalidGrant(t, h.post(codeExchange(code, "wrong-verifier-wrong-verifier-wrong-verifier", swaggerRedirect)))
		wantInvalidGrant(t, h.post(codeExchange(code, rfcVerifier, swaggerRedirect)))
	})
	t.Run("just before expiry", func(t *testing.T) {
		h := newHarness(t, nil)
		code := h.browser(t).authorizeCode(t, authzQuery())
		h.clock.Advance(DefaultCodeTTL - time.Second)
		decodeToken(t, h.post(codeExchange(code, rfcVerifier, swaggerRedirect)))
	})
	t.Run("redirect with a query keeps it", func(t *testing.T) {
		h := newHarness(t, nil)
		q := authzQuery()
		q.Set("redirect_uri", otherRedirect)
		b := h.browser(t)
		res, _ := b.signIn(t, b.loginForm(t, q), "johndoe", "secret")
		got := redirected(t, res, otherRedirect+"&")
		if got.Get("keep") != "1" || got.Get("code") == "" {
			t.Fatalf("redirect query %v, want keep=1 and a code", got)
		}
		decodeToken(t, h.post(codeExchange(got.Get("code"), rfcVerifier, otherRedirect)))
	})
}

func TestAuthorizeRequestErrors(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.KnownScopes = []string{"me", "items"} })
	h.clients["nocode"] = Client{ID: "nocode", Public: true, Grants: []string{GrantPassword}, RedirectURIs: []string{swaggerRedirect}}
	b := h.browser(t)
	tests := []struct {
		name string
		edit func(url.Values)
		// page is the status of an error page; zero means a redirect with
		// errCode.
		page    int
		errCode string
	}{
		{name: "unknown client", edit: func(q url.Values) { q.Set("client_id", "ghost") }, page: 400},
		{name: "no client", edit: func(q url.Values) { q.Del("client_id") }, page: 400},
		{name: "no redirect_uri", edit: func(q url.Values) { q.Del("redirect_uri") }, page: 400},
		{name: "unregistered redirect_uri", edit: func(q url.Values) { q.Set("redirect_uri", "http://evil.test/cb") }, page: 400},
		{name: "redirect_uri prefix match", edit: func(q url.Values) { q.Set("redirect_uri", swaggerRedirect+"x") }, page: 400},
		{name: "redirect_uri twice", edit: func(q url.Values) { q.Add("redirect_uri", swaggerRedirect) }, page: 400},
		{name: "no response_type", edit: func(q url.Values) { q.Del("response_type") }, errCode: codeInvalidRequest},
		{name: "implicit response_type", edit: func(q url.Values) { q.Set("response_type", "token") }, errCode: codeUnsupportedResponseType},
		{name: "no code_challenge", edit: func(q url.Values) { q.Del("code_challenge") }, errCode: codeInvalidRequest},
		{name: "no challenge method", edit: func(q url.Values) { q.Del("code_challenge_method") }, errCode: codeInvalidRequest},
		{name: "plain challenge method", edit: func(q url.Values) {
			q.Set("code_challenge_method", "plain")
			q.Set("code_challenge", rfcVerifier)
		}, errCode: codeInvalidRequest},
		{name: "malformed challenge", edit: func(q url.Values) { q.Set("code_challenge", "abc") }, errCode: codeInvalidRequest},
		{name: "unknown scope", edit: func(q url.Values) { q.Set("scope", "me root") }, errCode: codeInvalidScope},
		{name: "scope twice", edit: func(q url.Values) { q.Add("scope", "items") }, errCode: codeInvalidRequest},
		{name: "client without the code grant", edit: func(q url.Values) { q.Set("client_id", "nocode") }, errCode: codeUnauthorizedClient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := authzQuery()
			tt.edit(q)
			res, body := b.get(t, q)
			if tt.page != 0 {
				if res.StatusCode != tt.page || res.Header.Get("Location") != "" {
					t.Fatalf("status %d Location %q, want an error page %d", res.StatusCode, res.Header.Get("Location"), tt.page)
				}
				if !strings.Contains(body, `id="error"`) {
					t.Errorf("error page without the message:\n%s", body)
				}
				return
			}
			got := redirected(t, res, swaggerRedirect)
			if got.Get("error") != tt.errCode || got.Get("state") != testState || got.Get("error_description") == "" {
				t.Errorf("redirect query %v, want error=%s with the state", got, tt.errCode)
			}
			if got.Has("code") {
				t.Error("an error redirect carried a code")
			}
		})
	}
}

func TestAuthorizeLoginRefusals(t *testing.T) {
	const badLogin = "the username or password is incorrect, or the account is disabled"
	tests := []struct {
		name     string
		user, pw string
		edit     func(h *harness, b *browser, hidden url.Values)
		status   int
		message  string
	}{
		{name: "wrong password", user: "johndoe", pw: "nope", status: 400, message: badLogin},
		{name: "unknown user", user: "ghost", pw: "secret", status: 400, message: badLogin},
		{name: "disabled user", user: "alice", pw: "secret2", status: 400, message: badLogin},
		{name: "empty password", user: "johndoe", pw: "", status: 400, message: "Enter your username and password."},
		{name: "tampered scope", user: "johndoe", pw: "secret", status: 403, message: "has expired or did not come from this page",
			edit: func(_ *harness, _ *browser, v url.Values) { v.Set("scope", "me items") }},
		{name: "tampered challenge", user: "johndoe", pw: "secret", status: 403, message: "has expired or did not come from this page",
			edit: func(_ *harness, _ *browser, v url.Values) { v.Set("code_challenge", strings.Repeat("A", 43)) }},
		{name: "no cookie", user: "johndoe", pw: "secret", status: 403, message: "has expired or did not come from this page",
			edit: func(_ *harness, b *browser, _ url.Values) {
				jar, _ := cookiejar.New(nil)
				b.client.Jar = jar
			}},
		{name: "form expired", user: "johndoe", pw: "secret", status: 403, message: "has expired or did not come from this page",
			edit: func(h *harness, _ *browser, _ url.Values) { h.clock.Advance(DefaultFormTTL + time.Second) }},
		{name: "garbage form token", user: "johndoe", pw: "secret", status: 403, message: "has expired or did not come from this page",
			edit: func(_ *harness, _ *browser, v url.Values) { v.Set("form_token", "AAAA") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			b := h.browser(t)
			hidden := b.loginForm(t, authzQuery())
			if tt.edit != nil {
				tt.edit(h, b, hidden)
			}
			h.hasher.reset()
			res, page := b.signIn(t, hidden, tt.user, tt.pw)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d:\n%s", res.StatusCode, tt.status, page)
			}
			if !strings.Contains(page, tt.message) {
				t.Errorf("page lacks %q:\n%s", tt.message, page)
			}
			if !strings.Contains(page, `id="login"`) {
				t.Error("the login form was not shown again")
			}
			if h.codes.Len() != 0 {
				t.Error("a code was issued")
			}
			if tt.status == 400 && tt.pw != "" && h.hasher.verifications() != 1 {
				t.Errorf("%d password verifications, want exactly 1", h.hasher.verifications())
			}
		})
	}
	t.Run("cancel", func(t *testing.T) {
		h := newHarness(t, nil)
		b := h.browser(t)
		form := b.loginForm(t, authzQuery())
		form.Set("cancel", "1")
		res, _ := b.postForm(t, form)
		got := redirected(t, res, swaggerRedirect)
		if got.Get("error") != codeAccessDenied || got.Get("state") != testState {
			t.Errorf("redirect query %v, want access_denied with the state", got)
		}
	})
	t.Run("scope the user lacks", func(t *testing.T) {
		h := newHarness(t, nil)
		h.users.set("johndoe", func(u *User) { u.Scopes = []string{"items"} })
		b := h.browser(t)
		res, _ := b.signIn(t, b.loginForm(t, authzQuery()), "johndoe", "secret")
		if got := redirected(t, res, swaggerRedirect); got.Get("error") != codeInvalidScope {
			t.Errorf("redirect query %v, want invalid_scope", got)
		}
	})
}

func TestAuthorizeEndpointMisc(t *testing.T) {
	t.Run("method not allowed", func(t *testing.T) {
		h := newHarness(t, nil)
		w := h.do(req{method: http.MethodPut, target: "/authorize"})
		if w.Code != http.StatusMethodNotAllowed || !strings.Contains(w.Header().Get("Allow"), "POST") {
			t.Fatalf("status %d Allow %q", w.Code, w.Header().Get("Allow"))
		}
	})
	t.Run("not enabled", func(t *testing.T) {
		h := newHarness(t, func(c *Config) { c.Codes = nil })
		w := h.do(req{method: http.MethodGet, target: "/authorize?" + authzQuery().Encode()})
		if w.Code != http.StatusNotFound {
			t.Fatalf("status %d, want 404", w.Code)
		}
	})
	t.Run("POST with a JSON body", func(t *testing.T) {
		h := newHarness(t, nil)
		w := h.do(req{target: "/authorize", contentType: "application/json", body: "{}"})
		if w.Code != http.StatusBadRequest || w.Header().Get("Location") != "" {
			t.Fatalf("status %d Location %q, want an error page", w.Code, w.Header().Get("Location"))
		}
	})
	t.Run("rate limited login", func(t *testing.T) {
		h := newHarness(t, func(c *Config) { c.LoginRate, c.LoginBurst = rate.Every(30*time.Second), 1 })
		b := h.browser(t)
		hidden := b.loginForm(t, authzQuery())
		if res, _ := b.signIn(t, hidden, "johndoe", "nope"); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("first attempt: status %d, want 400", res.StatusCode)
		}
		res, page := b.signIn(t, hidden, "johndoe", "secret")
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "30" {
			t.Fatalf("second attempt: status %d Retry-After %q, want 429 and 30", res.StatusCode, res.Header.Get("Retry-After"))
		}
		if !strings.Contains(page, "Too many sign-in attempts") {
			t.Errorf("page lacks the rate limit message:\n%s", page)
		}
	})
}
