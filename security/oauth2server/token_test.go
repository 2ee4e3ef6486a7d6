package oauth2server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestTokenErrors(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.KnownScopes = []string{"me", "items", "reports", "admin"} })
	h.users.set("noscopes", func(u *User) {
		u.Subject = "sub-noscopes"
		u.PasswordHash = hashOf(t, h.hasher, "pw")
	})
	h.hasher.reset()
	const realm = `Basic realm="token", charset="UTF-8"`
	pw := func(extra ...string) string {
		v := url.Values{"username": {"johndoe"}, "password": {"secret"}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Add(extra[i], extra[i+1])
		}
		return v.Encode()
	}
	tests := []struct {
		name      string
		r         req
		status    int
		code      string
		desc      string // exact, when set
		challenge string // WWW-Authenticate, exact
	}{
		{name: "GET", r: req{method: http.MethodGet, body: pw()}, status: 405, code: codeInvalidRequest},
		{name: "JSON body", r: req{contentType: "application/json", body: `{"username":"johndoe"}`}, status: 400, code: codeInvalidRequest},
		{name: "no content type", r: req{contentType: " ", body: pw()}, status: 400, code: codeInvalidRequest},
		{name: "latin1 charset", r: req{contentType: formContentType + "; charset=iso-8859-1", body: pw()}, status: 400, code: codeInvalidRequest},
		{name: "password in URL", r: req{target: "/token?password=secret", body: "username=johndoe"}, status: 400, code: codeInvalidRequest},
		{name: "bad form encoding", r: req{body: "username=%zz"}, status: 400, code: codeInvalidRequest},
		{name: "body too large", r: req{body: "username=" + strings.Repeat("a", DefaultMaxBodyBytes)}, status: 413, code: codeInvalidRequest},
		{name: "grant_type twice", r: req{body: pw("grant_type", "password", "grant_type", "password")}, status: 400, code: codeInvalidRequest},
		{name: "unsupported grant", r: req{body: pw("grant_type", "implicit")}, status: 400, code: codeUnsupportedGrantType},
		{name: "Basic and client_secret", r: req{basic: basicAuth("confidential", confidentialSecret),
			body: pw("client_secret", confidentialSecret)}, status: 400, code: codeInvalidRequest},
		{name: "Basic and another client_id", r: req{basic: basicAuth("confidential", confidentialSecret),
			body: pw("client_id", "swagger")}, status: 400, code: codeInvalidRequest},
		{name: "secret without id", r: req{body: pw("client_secret", "x")}, status: 400, code: codeInvalidRequest},
		{name: "wrong secret in body", r: req{body: "grant_type=client_credentials&client_id=confidential&client_secret=nope"},
			status: 400, code: codeInvalidClient},
		{name: "wrong secret by Basic", r: req{basic: basicAuth("confidential", "nope"), body: "grant_type=client_credentials"},
			status: 401, code: codeInvalidClient, challenge: realm},
		{name: "unknown client by Basic", r: req{basic: basicAuth("ghost", "x"), body: "grant_type=client_credentials"},
			status: 401, code: codeInvalidClient, challenge: realm},
		{name: "malformed Basic", r: req{basic: "Basic !!!", body: "grant_type=client_credentials"},
			status: 401, code: codeInvalidClient, challenge: realm},
		{name: "Basic not urlencoded", r: req{basic: "Basic " + b64("confidential:50%zz"), body: "grant_type=client_credentials"},
			status: 401, code: codeInvalidClient, challenge: realm},
		{name: "confidential client without secret", r: req{body: pw("client_id", "confidential")}, status: 400, code: codeInvalidClient},
		{name: "public client with secret", r: req{body: pw("client_id", "swagger", "client_secret", "x")}, status: 400, code: codeInvalidClient},
		{name: "client_credentials without client", r: req{body: "grant_type=client_credentials"}, status: 400, code: codeInvalidClient},
		{name: "client_credentials by public client", r: req{body: "grant_type=client_credentials&client_id=swagger"},
			status: 400, code: codeUnauthorizedClient},
		{name: "grant not allowed for client", r: req{body: "grant_type=authorization_code&client_id=passwordonly&code=x&redirect_uri=y&code_verifier=z"},
			status: 400, code: codeUnauthorizedClient},
		{name: "missing password", r: req{body: "username=johndoe"}, status: 400, code: codeInvalidRequest},
		{name: "wrong password", r: req{body: "username=johndoe&password=nope"}, status: 400, code: codeInvalidGrant, desc: descBadLogin},
		{name: "unknown user", r: req{body: "username=ghost&password=secret"}, status: 400, code: codeInvalidGrant, desc: descBadLogin},
		{name: "password too long", r: req{body: "username=johndoe&password=" + strings.Repeat("a", maxSecretLen+1)},
			status: 400, code: codeInvalidGrant, desc: descBadLogin},
		{name: "disabled user", r: req{body: "username=alice&password=secret2"}, status: 400, code: codeInvalidGrant, desc: "the user is disabled"},
		{name: "disabled user wrong password", r: req{body: "username=alice&password=nope"}, status: 400, code: codeInvalidGrant, desc: descBadLogin},
		{name: "unknown scope", r: req{body: pw("scope", "me root")}, status: 400, code: codeInvalidScope, desc: "unknown scope root"},
		{name: "no requested scope allowed", r: req{body: pw("scope", "admin")}, status: 400, code: codeInvalidScope},
		{name: "user without scopes asks", r: req{body: "username=noscopes&password=pw&scope=me"}, status: 400, code: codeInvalidScope},
		{name: "scope with quote", r: req{body: pw("scope", `me"`)}, status: 400, code: codeInvalidScope},
		{name: "scope with tab", r: req{body: pw("scope", "me\titems")}, status: 400, code: codeInvalidScope},
		{name: "scope with no-break space", r: req{body: pw("scope", "me\u00a0items")}, status: 400, code: codeInvalidScope},
		{name: "client_credentials scope not allowed", r: req{body: "grant_type=client_credentials&scope=me", basic: basicAuth("confidential", confidentialSecret)},
			status: 400, code: codeInvalidScope},
		{name: "refresh without token", r: req{body: "grant_type=refresh_token"}, status: 400, code: codeInvalidRequest},
		{name: "refresh with unknown token", r: req{body: "grant_type=refresh_token&refresh_token=abc"}, status: 400, code: codeInvalidGrant},
		{name: "code without verifier", r: req{body: "grant_type=authorization_code&client_id=swagger&code=abc&redirect_uri=" + url.QueryEscape(swaggerRedirect)},
			status: 400, code: codeInvalidRequest},
		{name: "unknown code", r: req{body: "grant_type=authorization_code&client_id=swagger&code=abc&code_verifier=" + strings.Repeat("v", 43) +
			"&redirect_uri=" + url.QueryEscape(swaggerRedirect)}, status: 400, code: codeInvalidGrant},
		{name: "code without client", r: req{body: "grant_type=authorization_code&code=abc"}, status: 400, code: codeInvalidClient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := h.do(tt.r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			checkNoStore(t, w)
			er := decodeError(t, w)
			if er.Error != tt.code {
				t.Errorf("error %q, want %q (%s)", er.Error, tt.code, er.ErrorDescription)
			}
			if tt.desc != "" && er.ErrorDescription != tt.desc {
				t.Errorf("description %q, want %q", er.ErrorDescription, tt.desc)
			}
			if got := w.Header().Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.challenge)
			}
			if tt.status == 405 && w.Header().Get("Allow") != http.MethodPost {
				t.Errorf("Allow = %q, want POST", w.Header().Get("Allow"))
			}
		})
	}
	if n := h.issuer.count(); n != 0 {
		t.Errorf("%d access tokens were issued by failing requests", n)
	}
}

func TestGrantsDisabled(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Refresh, c.Codes = nil, nil })
	for _, grant := range []string{GrantRefreshToken, GrantAuthorizationCode} {
		t.Run(grant, func(t *testing.T) {
			w := h.post(url.Values{"grant_type": {grant}, "refresh_token": {"x"}, "code": {"x"}, "client_id": {"swagger"}})
			if w.Code != 400 || decodeError(t, w).Error != codeUnsupportedGrantType {
				t.Fatalf("status %d body %s, want unsupported_grant_type", w.Code, w.Body)
			}
		})
	}
	t.Run("no refresh token from password grant", func(t *testing.T) {
		tr := decodeToken(t, h.post(url.Values{"username": {"johndoe"}, "password": {"secret"}}))
		if tr.RefreshToken != "" {
			t.Errorf("refresh_token %q without a refresh store", tr.RefreshToken)
		}
	})
}

func TestPasswordGrant(t *testing.T) {
	tests := []struct {
		name       string
		form       url.Values
		basic      string
		wantScope  string
		wantClient string
		noRefresh  bool // the client may not use the refresh grant
	}{
		{name: "no grant_type, no scope: all the user's scopes",
			form: url.Values{"username": {"johndoe"}, "password": {"secret"}}, wantScope: "me items"},
		{name: "explicit grant_type and scope",
			form: url.Values{"grant_type": {"password"}, "username": {"johndoe"}, "password": {"secret"}, "scope": {"me"}}, wantScope: "me"},
		{name: "scope narrowed to what the user has",
			form: url.Values{"username": {"johndoe"}, "password": {"secret"}, "scope": {"items admin me"}}, wantScope: "items me"},
		{name: "empty values count as omitted",
			form: url.Values{"grant_type": {""}, "username": {"johndoe"}, "password": {"secret"}, "scope": {""}, "client_secret": {""}}, wantScope: "me items"},
		{name: "public client cuts scopes",
			form: url.Values{"username": {"johndoe"}, "password": {"secret"}, "client_id": {"passwordonly"}}, wantScope: "me", wantClient: "passwordonly", noRefresh: true},
		{name: "public client by Basic with empty secret",
			form: url.Values{"username": {"johndoe"}, "password": {"secret"}}, basic: basicAuth("swagger", ""), wantScope: "me items", wantClient: "swagger"},
		{name: "empty Basic pair is no client",
			form: url.Values{"username": {"johndoe"}, "password": {"secret"}}, basic: basicAuth("", ""), wantScope: "me items"},
		{name: "confidential client by Basic",
			form:  url.Values{"username": {"johndoe"}, "password": {"secret"}},
			basic: basicAuth("confidential", confidentialSecret), wantScope: "items", wantClient: "confidential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			w := h.do(req{body: tt.form.Encode(), basic: tt.basic})
			tr := decodeToken(t, w)
			checkNoStore(t, w)
			if tr.AccessToken != "at-1" || tr.TokenType != "bearer" || tr.ExpiresIn != 1800 {
				t.Errorf("token %+v, want at-1, bearer, 1800", tr)
			}
			if tr.Scope != tt.wantScope {
				t.Errorf("scope %q, want %q", tr.Scope, tt.wantScope)
			}
			if (tr.RefreshToken == "") != tt.noRefresh {
				t.Errorf("refresh_token %q; want one: %v", tr.RefreshToken, !tt.noRefresh)
			}
			call := h.issuer.last()
			want := issueCall{"sub-john", tt.wantClient, strings.Fields(tt.wantScope)}
			if call.subject != want.subject || call.clientID != want.clientID || !slices.Equal(call.scopes, want.scopes) {
				t.Errorf("issuer got %+v, want %+v", call, want)
			}
		})
	}
}

// TestUnknownUserLikeWrongPassword compares the two paths by the work they
// do and by their answers, not by time.
func TestUnknownUserLikeWrongPassword(t *testing.T) {
	h := newHarness(t, nil)
	run := func(form string) (status int, body string, hdr http.Header, verify, dummy int64) {
		h.hasher.reset()
		w := h.do(req{body: form})
		return w.Code, w.Body.String(), w.Header(), h.hasher.verify.Load(), h.hasher.dummy.Load()
	}
	s1, b1, h1, v1, d1 := run("username=johndoe&password=wrong")
	s2, b2, h2, v2, d2 := run("username=nobody&password=wrong")

	if s1 != s2 || b1 != b2 {
		t.Errorf("answers differ:\nwrong password %d %s\nunknown user   %d %s", s1, b1, s2, b2)
	}
	for _, k := range []string{"Content-Type", "Cache-Control", "Pragma", "WWW-Authenticate"} {
		if h1.Get(k) != h2.Get(k) {
			t.Errorf("header %s differs: %q vs %q", k, h1.Get(k), h2.Get(k))
		}
	}
	tests := []struct {
		name          string
		verify, dummy int64
		wantV, wantD  int64
	}{
		{"wrong password", v1, d1, 1, 0},
		{"unknown user", v2, d2, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.verify != tt.wantV || tt.dummy != tt.wantD || tt.verify+tt.dummy != 1 {
				t.Errorf("Verify %d, VerifyDummy %d; want %d and %d, one verification in all",
					tt.verify, tt.dummy, tt.wantV, tt.wantD)
			}
		})
	}
}

func TestRehashOnLogin(t *testing.T) {
	tests := []struct {
		name       string
		user, pw   string
		wantUpdate bool
	}{
		{"current parameters", "johndoe", "secret", false},
		{"outdated parameters", "olduser", "oldpw", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			decodeToken(t, h.post(url.Values{"username": {tt.user}, "password": {tt.pw}}))
			newHash, updated := h.users.updates[tt.user]
			if updated != tt.wantUpdate {
				t.Fatalf("updated = %v, want %v", updated, tt.wantUpdate)
			}
			if !updated {
				return
			}
			ok, again, err := h.hasher.PasswordHasher.Verify(context.Background(), newHash, tt.pw)
			if err != nil || !ok || again {
				t.Errorf("new hash: ok %v, needsRehash %v, err %v; want a current hash of the password", ok, again, err)
			}
		})
	}
}

func TestClientCredentials(t *testing.T) {
	tests := []struct {
		name       string
		r          req
		wantScope  string
		wantClient string // default confidential
	}{
		{name: "secret in body", r: req{body: url.Values{"grant_type": {"client_credentials"}, "client_id": {"confidential"},
			"client_secret": {confidentialSecret}}.Encode()}, wantScope: "items reports"},
		{name: "Basic with urlencoded ':' and '%'", r: req{body: "grant_type=client_credentials",
			basic: basicAuth("confidential", confidentialSecret)}, wantScope: "items reports"},
		{name: "Basic and the same client_id in body", r: req{body: "grant_type=client_credentials&client_id=confidential",
			basic: basicAuth("confidential", confidentialSecret)}, wantScope: "items reports"},
		{name: "scope narrowed", r: req{body: "grant_type=client_credentials&scope=reports+me",
			basic: basicAuth("confidential", confidentialSecret)}, wantScope: "reports"},
		{name: "Basic with urlencoded ':' in the client_id", r: req{body: "grant_type=client_credentials",
			basic: basicAuth("svc:reports", "pw")}, wantScope: "reports", wantClient: "svc:reports"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			tr := decodeToken(t, h.do(tt.r))
			if tr.Scope != tt.wantScope {
				t.Errorf("scope %q, want %q", tr.Scope, tt.wantScope)
			}
			if tr.RefreshToken != "" {
				t.Error("client credentials grant returned a refresh token")
			}
			want := tt.wantClient
			if want == "" {
				want = "confidential"
			}
			if c := h.issuer.last(); c.subject != want || c.clientID != want {
				t.Errorf("issuer got %+v, want %s as subject and client", c, want)
			}
		})
	}
	t.Run("unencoded Basic secret is refused", func(t *testing.T) {
		h := newHarness(t, nil)
		// Without the form encoding, the ':' in the secret would move the
		// split and '%' would not decode.
		w := h.do(req{body: "grant_type=client_credentials", basic: basicAuthRaw("confidential:" + confidentialSecret)})
		if w.Code != 401 || decodeError(t, w).Error != codeInvalidClient {
			t.Fatalf("status %d body %s, want 401 invalid_client", w.Code, w.Body)
		}
	})
}

func TestServerFailures(t *testing.T) {
	tests := []struct {
		name string
		edit func(*harness)
	}{
		{"user store fails", func(h *harness) { h.users.fail = errStore }},
		{"issuer fails", func(h *harness) { h.issuer.fail = errStore }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			tt.edit(h)
			w := h.post(url.Values{"username": {"johndoe"}, "password": {"secret"}})
			if w.Code != 500 {
				t.Fatalf("status %d, want 500", w.Code)
			}
			if er := decodeError(t, w); er.Error != codeServerError || er.ErrorDescription != descInternal {
				t.Errorf("body %+v, want a generic server_error", er)
			}
			if strings.Contains(w.Body.String(), errStore.Error()) {
				t.Error("the cause leaked to the client")
			}
		})
	}
}
