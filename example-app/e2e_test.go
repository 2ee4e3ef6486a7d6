package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	demoKey      = "e2e-api-key"
	pkceVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-e2e"
)

func pkceChallenge(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// problemDetail reads the detail of a problem+json body and checks the
// content type.
func problemDetail(t *testing.T, r reply) string {
	t.Helper()
	var p struct {
		Detail string `json:"detail"`
		Status int    `json:"status"`
	}
	r.json(t, &p)
	if p.Detail == "" {
		t.Fatalf("error body without detail: %s", r.body)
	}
	return p.Detail
}

// expectRefusal checks status, the exact WWW-Authenticate values and a
// problem+json body.
func expectRefusal(t *testing.T, r reply, status int, challenges ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if got := r.header.Values("WWW-Authenticate"); !slices.Equal(got, challenges) {
		t.Fatalf("WWW-Authenticate %q, want %q", got, challenges)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	problemDetail(t, r)
}

func TestEndToEnd(t *testing.T) {
	addr := freeAddr(t)
	db := filepath.Join(t.TempDir(), "e2e.db")
	env := []string{"DATABASE_URL=" + db, "DEMO_API_KEY=" + demoKey}
	srv := start(t, addr, env...)
	// The server answers as soon as it listens; the line saying where
	// Swagger UI is comes from a start hook that may run a moment later.
	if !srv.waitLog("Swagger UI: "+srv.base+"/docs", 10*time.Second) {
		t.Errorf("the log does not say where Swagger UI is:\n%s", srv.logs.String())
	}
	if !strings.Contains(srv.logs.String(), "generated an HS256 signing key") {
		t.Errorf("the log does not say that a signing key was generated:\n%s", srv.logs.String())
	}

	john := srv.login(t, "johndoe", "secret", "")
	t.Run("docs", func(t *testing.T) {
		for _, p := range []string{"/openapi.json", "/docs/index.html", "/docs/oauth2-redirect.html"} {
			if r := srv.get(t, p); r.status != http.StatusOK {
				t.Errorf("GET %s: %d", p, r.status)
			}
		}
		var doc struct {
			OpenAPI string `json:"openapi"`
		}
		srv.get(t, "/openapi.json").json(t, &doc)
		if doc.OpenAPI != "3.0.3" {
			t.Errorf("openapi %q", doc.OpenAPI)
		}
	})

	t.Run("password grant", func(t *testing.T) {
		if john.TokenType != "bearer" || john.ExpiresIn <= 0 || john.Scope != "me items openid" || john.AccessToken == "" {
			t.Fatalf("token answer %+v", john)
		}
		scoped := srv.login(t, "johndoe", "secret", "items")
		if scoped.Scope != "items" {
			t.Fatalf("scope %q, want items", scoped.Scope)
		}
		wrong := srv.postForm(t, "/token", url.Values{"username": {"johndoe"}, "password": {"nope"}})
		unknown := srv.postForm(t, "/token", url.Values{"username": {"nobody"}, "password": {"nope"}})
		if wrong.status != http.StatusBadRequest || unknown.status != wrong.status || !bytes.Equal(wrong.body, unknown.body) {
			t.Fatalf("wrong password %d %s; unknown user %d %s; want the same 400", wrong.status, wrong.body, unknown.status, unknown.body)
		}
		alice := srv.postForm(t, "/token", url.Values{"username": {"alice"}, "password": {"secret2"}})
		if alice.status != http.StatusBadRequest || !strings.Contains(string(alice.body), "invalid_grant") {
			t.Fatalf("disabled alice: %d %s", alice.status, alice.body)
		}
		bad := srv.postForm(t, "/token", url.Values{"grant_type": {"magic"}})
		if bad.status != http.StatusBadRequest {
			t.Fatalf("unknown grant: %d", bad.status)
		}
	})

	itemsOnly := srv.login(t, "johndoe", "secret", "items")
	meOnly := srv.login(t, "johndoe", "secret", "me")
	t.Run("users me", func(t *testing.T) {
		var me map[string]any
		r := srv.get(t, "/users/me", bearer(john.AccessToken)...)
		r.json(t, &me)
		want := map[string]any{"username": "johndoe", "email": "johndoe@example.com", "full_name": "John Doe", "disabled": false}
		if r.status != http.StatusOK || len(me) != len(want) {
			t.Fatalf("/users/me: %d %s", r.status, r.body)
		}
		for k, v := range want {
			if me[k] != v {
				t.Fatalf("/users/me %s = %v, want %v", k, me[k], v)
			}
		}
		var items []map[string]string
		r = srv.get(t, "/users/me/items", bearer(john.AccessToken)...)
		r.json(t, &items)
		if r.status != http.StatusOK || len(items) != 2 || items[0]["item_id"] != "Foo" || items[0]["owner"] != "johndoe" {
			t.Fatalf("/users/me/items: %d %s", r.status, r.body)
		}
		if r := srv.get(t, "/status", bearer(itemsOnly.AccessToken)...); r.status != http.StatusOK || string(r.body) != `{"status":"ok"}` {
			t.Fatalf("/status: %d %s", r.status, r.body)
		}
	})

	t.Run("bearer errors", func(t *testing.T) {
		tests := []struct {
			name       string
			path       string
			headers    []string
			status     int
			challenges []string
		}{
			{"no token", "/users/me", nil, 401, []string{"Bearer"}},
			{"no token on status", "/status", nil, 401, []string{"Bearer"}},
			{"garbage token", "/users/me", bearer("not-a-jwt"), 401,
				[]string{`Bearer error="invalid_token", error_description="malformed token"`}},
			{"tampered token", "/status", bearer(john.AccessToken[:len(john.AccessToken)-4] + "AAAA"), 401,
				[]string{`Bearer error="invalid_token", error_description="invalid token"`}},
			{"missing scope me", "/users/me", bearer(itemsOnly.AccessToken), 403,
				[]string{`Bearer error="insufficient_scope", scope="me"`}},
			{"missing scope items", "/users/me/items", bearer(meOnly.AccessToken), 403,
				[]string{`Bearer error="insufficient_scope", scope="items me"`}},
			{"basic credentials on a bearer route", "/users/me", []string{"Authorization", "Basic am9objpzZWNyZXQ="}, 401, []string{"Bearer"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				expectRefusal(t, srv.get(t, tt.path, tt.headers...), tt.status, tt.challenges...)
			})
		}
	})

	t.Run("api keys", func(t *testing.T) {
		tests := []struct {
			name, path string
			headers    []string
			in         string
		}{
			{"header", "/api-key/header", []string{"X-API-Key", demoKey}, "header"},
			{"query", "/api-key/query?api_key=" + demoKey, nil, "query"},
			{"cookie", "/api-key/cookie", []string{"Cookie", "api_key=" + demoKey}, "cookie"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var got map[string]string
				r := srv.get(t, tt.path, tt.headers...)
				r.json(t, &got)
				if r.status != http.StatusOK || got["in"] != tt.in || got["owner"] != "johndoe" {
					t.Fatalf("%d %s", r.status, r.body)
				}
			})
		}
		for _, tt := range []struct {
			name, path string
			headers    []string
		}{
			{"no header", "/api-key/header", nil},
			{"wrong header", "/api-key/header", []string{"X-API-Key", "wrong"}},
			{"default key is not seeded", "/api-key/header", []string{"X-API-Key", "demo-api-key"}},
			{"wrong query", "/api-key/query?api_key=wrong", nil},
			{"no cookie", "/api-key/cookie", nil},
		} {
			t.Run("refused "+tt.name, func(t *testing.T) {
				expectRefusal(t, srv.get(t, tt.path, tt.headers...), 401, "APIKey")
			})
		}
	})

	t.Run("basic", func(t *testing.T) {
		basic := func(u, p string) []string {
			return []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p))}
		}
		var who map[string]string
		r := srv.get(t, "/basic/whoami", basic("johndoe", "secret")...)
		r.json(t, &who)
		if r.status != http.StatusOK || who["username"] != "johndoe" {
			t.Fatalf("%d %s", r.status, r.body)
		}
		const challenge = `Basic realm="example", charset="UTF-8"`
		for _, tt := range []struct {
			name    string
			headers []string
		}{
			{"none", nil},
			{"wrong password", basic("johndoe", "nope")},
			{"unknown user", basic("nobody", "secret")},
			{"disabled alice", basic("alice", "secret2")},
		} {
			t.Run(tt.name, func(t *testing.T) {
				expectRefusal(t, srv.get(t, "/basic/whoami", tt.headers...), 401, challenge)
			})
		}
	})

	t.Run("http bearer", func(t *testing.T) {
		var who map[string]string
		r := srv.get(t, "/bearer/whoami", bearer(itemsOnly.AccessToken)...)
		r.json(t, &who)
		if r.status != http.StatusOK || who["username"] != "johndoe" {
			t.Fatalf("%d %s", r.status, r.body)
		}
		expectRefusal(t, srv.get(t, "/bearer/whoami"), 401, "Bearer")
	})

	t.Run("reports any of bearer or api key", func(t *testing.T) {
		for _, tt := range []struct {
			name    string
			headers []string
			by      string
		}{
			{"bearer", bearer(john.AccessToken), "bearer"},
			{"api key", []string{"X-API-Key", demoKey}, "api_key"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				var rep map[string]any
				r := srv.get(t, "/reports", tt.headers...)
				r.json(t, &rep)
				if r.status != http.StatusOK || rep["authenticated_by"] != tt.by || rep["principal"] != "johndoe" {
					t.Fatalf("%d %s", r.status, r.body)
				}
			})
		}
		t.Run("neither", func(t *testing.T) {
			expectRefusal(t, srv.get(t, "/reports"), 401, "Bearer", "APIKey")
		})
	})

	t.Run("items optional", func(t *testing.T) {
		type page struct {
			Viewer *string `json:"viewer"`
			Items  []struct {
				ItemID string `json:"item_id"`
			} `json:"items"`
		}
		ids := func(p page) []string {
			var out []string
			for _, it := range p.Items {
				out = append(out, it.ItemID)
			}
			return out
		}
		var anon, mine page
		r := srv.get(t, "/items")
		r.json(t, &anon)
		if r.status != http.StatusOK || anon.Viewer != nil || !slices.Equal(ids(anon), []string{"Bar", "Baz"}) {
			t.Fatalf("anonymous: %d %s", r.status, r.body)
		}
		if !strings.Contains(string(r.body), `"viewer":null`) {
			t.Fatalf("anonymous viewer is not null: %s", r.body)
		}
		r = srv.get(t, "/items", bearer(john.AccessToken)...)
		r.json(t, &mine)
		if r.status != http.StatusOK || mine.Viewer == nil || *mine.Viewer != "johndoe" || !slices.Equal(ids(mine), []string{"Foo", "Bar", "Baz"}) {
			t.Fatalf("with a token: %d %s", r.status, r.body)
		}
		expectRefusal(t, srv.get(t, "/items", bearer("not-a-jwt")...), 401,
			`Bearer error="invalid_token", error_description="malformed token"`)
	})

	t.Run("client credentials", func(t *testing.T) {
		byForm := srv.postForm(t, "/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-client"},
			"client_secret": {"demo-secret"}, "scope": {"items"}})
		byBasic := srv.postForm(t, "/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"items"}},
			"Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("demo-client:demo-secret")))
		for name, r := range map[string]reply{"form": byForm, "basic": byBasic} {
			var tok tokenReply
			r.json(t, &tok)
			if r.status != http.StatusOK || tok.Scope != "items" {
				t.Fatalf("%s: %d %s", name, r.status, r.body)
			}
			var info map[string]string
			res := srv.get(t, "/oauth2/client", bearer(tok.AccessToken)...)
			res.json(t, &info)
			if res.status != http.StatusOK || info["client_id"] != "demo-client" || info["subject"] != "demo-client" {
				t.Fatalf("%s: /oauth2/client %d %s", name, res.status, res.body)
			}
		}
		basic := func(id, secret string) []string {
			return []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))}
		}
		// demo-client is confidential: without its secret it is refused,
		// whatever the grant, and it may not stand in for Swagger UI.
		refusals := []struct {
			name    string
			form    url.Values
			headers []string
			status  int
			code    string
		}{
			{name: "wrong secret", form: url.Values{"grant_type": {"client_credentials"}},
				headers: basic("demo-client", "wrong"), status: http.StatusUnauthorized, code: "invalid_client"},
			{name: "no secret in Basic", form: url.Values{"grant_type": {"client_credentials"}, "scope": {"items"}},
				headers: basic("demo-client", ""), status: http.StatusUnauthorized, code: "invalid_client"},
			{name: "password grant without the secret, as Swagger UI sends it",
				form:    url.Values{"grant_type": {"password"}, "username": {"johndoe"}, "password": {"secret"}, "scope": {"me"}},
				headers: basic("demo-client", ""), status: http.StatusUnauthorized, code: "invalid_client"},
			// RFC 6749 §5.2: 401 only when the client used the
			// Authorization header; a client_id in the body gets 400.
			{name: "no secret in the form", form: url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-client"}},
				status: http.StatusBadRequest, code: "invalid_client"},
			{name: "password grant with the secret",
				form:    url.Values{"grant_type": {"password"}, "username": {"johndoe"}, "password": {"secret"}},
				headers: basic("demo-client", "demo-secret"), status: http.StatusBadRequest, code: "unauthorized_client"},
			{name: "beyond its scope", form: url.Values{"grant_type": {"client_credentials"}, "scope": {"me"}},
				headers: basic("demo-client", "demo-secret"), status: http.StatusBadRequest, code: "invalid_scope"},
			{name: "the public swagger-ui client", form: url.Values{"grant_type": {"client_credentials"}, "scope": {"items"}},
				headers: basic("swagger-ui", ""), status: http.StatusBadRequest, code: "unauthorized_client"},
			{name: "swagger-ui with a secret", form: url.Values{"grant_type": {"password"}, "username": {"johndoe"}, "password": {"secret"}},
				headers: basic("swagger-ui", "guess"), status: http.StatusUnauthorized, code: "invalid_client"},
		}
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				r := srv.postForm(t, "/token", tt.form, tt.headers...)
				var e struct {
					Error string `json:"error"`
				}
				r.json(t, &e)
				if r.status != tt.status || e.Error != tt.code {
					t.Fatalf("%d %s, want %d with error %s", r.status, r.body, tt.status, tt.code)
				}
				wantChallenge := ""
				if tt.status == http.StatusUnauthorized {
					wantChallenge = `Basic realm="example", charset="UTF-8"`
				}
				if got := r.header.Get("WWW-Authenticate"); got != wantChallenge {
					t.Fatalf("WWW-Authenticate %q, want %q", got, wantChallenge)
				}
			})
		}
		// A user's token is not a client's.
		expectRefusal(t, srv.get(t, "/oauth2/client", bearer(itemsOnly.AccessToken)...), 403,
			`Bearer error="insufficient_scope", scope="items"`)
	})

	t.Run("refresh rotation", func(t *testing.T) {
		first := srv.login(t, "johndoe", "secret", "me")
		if first.RefreshToken == "" {
			t.Fatal("no refresh token")
		}
		r := srv.postForm(t, "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}})
		var second tokenReply
		r.json(t, &second)
		if r.status != http.StatusOK || second.RefreshToken == "" || second.RefreshToken == first.RefreshToken || second.Scope != "me" {
			t.Fatalf("refresh: %d %s", r.status, r.body)
		}
		if r := srv.get(t, "/users/me", bearer(second.AccessToken)...); r.status != http.StatusOK {
			t.Fatalf("refreshed token: %d", r.status)
		}
		reuse := srv.postForm(t, "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}})
		if reuse.status != http.StatusBadRequest || !strings.Contains(string(reuse.body), "invalid_grant") {
			t.Fatalf("reuse: %d %s", reuse.status, reuse.body)
		}
		// Reuse revoked the family, the newest token included.
		again := srv.postForm(t, "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {second.RefreshToken}})
		if again.status != http.StatusBadRequest {
			t.Fatalf("refresh after reuse: %d %s", again.status, again.body)
		}
	})

	redirect := srv.base + "/docs/oauth2-redirect.html"
	t.Run("authorization code with PKCE and OpenID Connect", func(t *testing.T) {
		q := url.Values{"response_type": {"code"}, "client_id": {"swagger-ui"}, "redirect_uri": {redirect},
			"scope": {"openid items"}, "state": {"xyz"}, "code_challenge": {pkceChallenge(pkceVerifier)},
			"code_challenge_method": {"S256"}}
		loc := srv.authorize(t, q, "johndoe", "secret")
		u, err := url.Parse(loc)
		if err != nil || !strings.HasPrefix(loc, redirect+"?") || u.Query().Get("state") != "xyz" || u.Query().Get("code") == "" {
			t.Fatalf("redirect %q", loc)
		}
		// The public client sends its id alone; PKCE proves the code is its.
		r := srv.postForm(t, "/token", url.Values{"grant_type": {"authorization_code"}, "code": {u.Query().Get("code")},
			"client_id": {"swagger-ui"}, "redirect_uri": {redirect}, "code_verifier": {pkceVerifier}})
		var tok tokenReply
		r.json(t, &tok)
		if r.status != http.StatusOK || tok.Scope != "openid items" {
			t.Fatalf("code exchange: %d %s", r.status, r.body)
		}
		var info map[string]string
		res := srv.get(t, "/oauth2/code", bearer(tok.AccessToken)...)
		res.json(t, &info)
		if res.status != http.StatusOK || info["subject"] != "johndoe" || info["client_id"] != "swagger-ui" {
			t.Fatalf("/oauth2/code: %d %s", res.status, res.body)
		}
		res = srv.get(t, "/oidc/whoami", bearer(tok.AccessToken)...)
		res.json(t, &info)
		if res.status != http.StatusOK || info["subject"] != "johndoe" {
			t.Fatalf("/oidc/whoami: %d %s", res.status, res.body)
		}
		// An HS256 token is not an OpenID Connect token.
		expectRefusal(t, srv.get(t, "/oidc/whoami", bearer(john.AccessToken)...), 401,
			`Bearer error="invalid_token", error_description="the token is invalid"`)
		expectRefusal(t, srv.get(t, "/oidc/whoami"), 401, "Bearer")
		// The discovery document and the JWKS the verifier used.
		var disc map[string]any
		srv.get(t, "/.well-known/openid-configuration").json(t, &disc)
		if disc["issuer"] != srv.base || disc["jwks_uri"] != srv.base+"/.well-known/jwks.json" {
			t.Fatalf("discovery %v", disc)
		}
		var jwks struct {
			Keys []map[string]string `json:"keys"`
		}
		srv.get(t, "/.well-known/jwks.json").json(t, &jwks)
		if len(jwks.Keys) != 1 || jwks.Keys[0]["alg"] != "ES256" {
			t.Fatalf("jwks %+v, want one ES256 key and no HMAC secret", jwks)
		}
		// The code is single-use, and a second exchange revokes the refresh
		// token of the first (RFC 6749 §4.1.2).
		if tok.RefreshToken == "" {
			t.Fatalf("code exchange gave no refresh token: %s", r.body)
		}
		again := srv.postForm(t, "/token", url.Values{"grant_type": {"authorization_code"}, "code": {u.Query().Get("code")},
			"client_id": {"swagger-ui"}, "redirect_uri": {redirect}, "code_verifier": {pkceVerifier}})
		if again.status != http.StatusBadRequest || !strings.Contains(string(again.body), `"error":"invalid_grant"`) {
			t.Fatalf("second exchange: %d %s", again.status, again.body)
		}
		refreshed := srv.postForm(t, "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken},
			"client_id": {"swagger-ui"}})
		if refreshed.status != http.StatusBadRequest || !strings.Contains(string(refreshed.body), `"error":"invalid_grant"`) {
			t.Fatalf("refresh after the code was reused: %d %s", refreshed.status, refreshed.body)
		}
	})

	t.Run("swagger-ui public client", func(t *testing.T) {
		// Swagger UI's password flow sends the client id as a Basic user
		// name with an empty password.
		r := srv.postForm(t, "/token", url.Values{"grant_type": {"password"}, "username": {"johndoe"},
			"password": {"secret"}, "scope": {"me items"}},
			"Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("swagger-ui:")))
		var tok tokenReply
		r.json(t, &tok)
		if r.status != http.StatusOK || tok.Scope != "me items" || tok.RefreshToken == "" {
			t.Fatalf("password grant through swagger-ui: %d %s", r.status, r.body)
		}
		if res := srv.get(t, "/users/me", bearer(tok.AccessToken)...); res.status != http.StatusOK {
			t.Fatalf("/users/me with a swagger-ui token: %d %s", res.status, res.body)
		}
		// A code without PKCE is refused back at the redirect URI.
		loc := srv.get(t, "/authorize?"+url.Values{"response_type": {"code"}, "client_id": {"swagger-ui"},
			"redirect_uri": {redirect}, "scope": {"items"}, "state": {"s"}}.Encode())
		if u, err := url.Parse(loc.header.Get("Location")); loc.status != http.StatusFound || err != nil ||
			u.Query().Get("error") != "invalid_request" || !strings.Contains(u.Query().Get("error_description"), "PKCE") {
			t.Fatalf("authorization without PKCE: %d %q", loc.status, loc.header.Get("Location"))
		}
		// demo-client has no redirect URI: it cannot start a browser flow.
		for _, rt := range []string{"code", "token"} {
			q := url.Values{"response_type": {rt}, "client_id": {"demo-client"}, "redirect_uri": {redirect},
				"scope": {"items"}, "state": {"s"}, "code_challenge": {pkceChallenge(pkceVerifier)},
				"code_challenge_method": {"S256"}}
			page := srv.get(t, "/authorize?"+q.Encode())
			if page.status != http.StatusBadRequest || page.header.Get("Location") != "" ||
				!strings.Contains(string(page.body), "redirect_uri is not registered") {
				t.Fatalf("demo-client at /authorize with response_type=%s: %d %q %s", rt, page.status, page.header.Get("Location"), page.body)
			}
		}
	})

	t.Run("implicit", func(t *testing.T) {
		q := url.Values{"response_type": {"token"}, "client_id": {"swagger-ui"}, "redirect_uri": {redirect},
			"scope": {"items"}, "state": {"imp"}}
		loc := srv.authorize(t, q, "johndoe", "secret")
		frag, err := fragmentToken(loc)
		if err != nil || !strings.HasPrefix(loc, redirect+"#") || frag.Get("state") != "imp" || frag.Get("scope") != "items" {
			t.Fatalf("redirect %q: %v", loc, err)
		}
		var info map[string]string
		res := srv.get(t, "/oauth2/implicit", bearer(frag.Get("access_token"))...)
		res.json(t, &info)
		if res.status != http.StatusOK || info["subject"] != "johndoe" || info["client_id"] != "swagger-ui" {
			t.Fatalf("/oauth2/implicit: %d %s", res.status, res.body)
		}
	})

	t.Run("digest", func(t *testing.T) {
		first := srv.get(t, "/digest/whoami")
		challenges := first.header.Values("WWW-Authenticate")
		if first.status != http.StatusUnauthorized || len(challenges) != 2 ||
			!strings.HasPrefix(challenges[0], `Digest realm="example", qop="auth", algorithm=SHA-256, nonce="`) ||
			!strings.HasPrefix(challenges[1], `Digest realm="example", qop="auth", algorithm=MD5, nonce="`) {
			t.Fatalf("challenge %d %q", first.status, challenges)
		}
		fresh := func(t *testing.T, i int) string {
			t.Helper()
			c := srv.get(t, "/digest/whoami").header.Values("WWW-Authenticate")
			if len(c) != 2 {
				t.Fatalf("challenges %q", c)
			}
			return c[i]
		}
		for i, alg := range []string{"SHA-256", "MD5"} {
			t.Run(alg, func(t *testing.T) {
				auth := digestAuthorization(t, fresh(t, i), "johndoe", "secret", "GET", "/digest/whoami")
				var who map[string]string
				r := srv.get(t, "/digest/whoami", "Authorization", auth)
				r.json(t, &who)
				if r.status != http.StatusOK || who["username"] != "johndoe" || who["algorithm"] != alg {
					t.Fatalf("%d %s", r.status, r.body)
				}
				// The same nonce count again is a replay.
				if r := srv.get(t, "/digest/whoami", "Authorization", auth); r.status != http.StatusUnauthorized {
					t.Fatalf("replay: %d %s", r.status, r.body)
				}
			})
		}
		for _, tt := range []struct{ name, user, pw string }{
			{"wrong password", "johndoe", "nope"},
			{"unknown user", "nobody", "secret"},
			{"disabled alice", "alice", "secret2"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				auth := digestAuthorization(t, fresh(t, 0), tt.user, tt.pw, "GET", "/digest/whoami")
				r := srv.get(t, "/digest/whoami", "Authorization", auth)
				if r.status != http.StatusUnauthorized || len(r.header.Values("WWW-Authenticate")) != 2 {
					t.Fatalf("%d %q %s", r.status, r.header.Values("WWW-Authenticate"), r.body)
				}
			})
		}
	})

	t.Run("oversized input", func(t *testing.T) {
		big := strings.Repeat("a", 200<<10)
		if r := srv.get(t, "/status", "X-Big", big); r.status != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("big header: %d", r.status)
		}
		r := do(t, noRedirect, http.MethodPost, srv.base+"/token", strings.NewReader("username=johndoe&password="+strings.Repeat("x", 2<<20)),
			"Content-Type", "application/x-www-form-urlencoded")
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("big body: %d %s", r.status, r.body)
		}
		for _, tt := range []struct{ name, path string }{
			{"bad query escape", "/api-key/query?api_key=%zz"},
			{"unknown route", "/nope"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if r := srv.get(t, tt.path); r.status >= 500 || r.status < 400 {
					t.Fatalf("%d %s", r.status, r.body)
				}
			})
		}
	})

	t.Run("concurrent logins and reads", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan string, 50)
		for range 50 {
			wg.Go(func() {
				r := srv.postForm(t, "/token", url.Values{"username": {"johndoe"}, "password": {"secret"}})
				if r.status != http.StatusOK {
					errs <- "login " + string(r.body)
					return
				}
				var tok tokenReply
				if err := json.Unmarshal(r.body, &tok); err != nil {
					errs <- err.Error()
					return
				}
				if res := srv.get(t, "/users/me/items", bearer(tok.AccessToken)...); res.status != http.StatusOK {
					errs <- "read " + string(res.body)
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	})

	srv.stop()
	if strings.Contains(srv.logs.String(), "level=ERROR") {
		t.Errorf("the server logged errors:\n%s", srv.logs.String())
	}

	t.Run("restart keeps data and keys", func(t *testing.T) {
		srv2 := start(t, addr, env...)
		defer srv2.stop()
		if strings.Contains(srv2.logs.String(), "generated") || strings.Contains(srv2.logs.String(), "seeded") {
			t.Fatalf("the restart generated keys or seeded again:\n%s", srv2.logs.String())
		}
		if r := srv2.get(t, "/users/me", bearer(john.AccessToken)...); r.status != http.StatusOK {
			t.Fatalf("a token from before the restart: %d %s", r.status, r.body)
		}
		tok := srv2.login(t, "johndoe", "secret", "")
		if r := srv2.get(t, "/users/me/items", bearer(tok.AccessToken)...); r.status != http.StatusOK || !strings.Contains(string(r.body), "Foo") {
			t.Fatalf("items after restart: %d %s", r.status, r.body)
		}
		if r := srv2.get(t, "/api-key/header", "X-API-Key", demoKey); r.status != http.StatusOK {
			t.Fatalf("API key after restart: %d", r.status)
		}
	})
}

func TestEndToEndWithJWTSecret(t *testing.T) {
	addr := freeAddr(t)
	const secret = "an-e2e-secret-of-at-least-32-bytes!"
	srv := start(t, addr, "DATABASE_URL=file:"+filepath.Join(t.TempDir(), "s.db"), "JWT_SECRET="+secret)
	defer srv.stop()
	if strings.Contains(srv.logs.String(), "generated an HS256") {
		t.Fatalf("a key was generated although JWT_SECRET is set:\n%s", srv.logs.String())
	}
	tok := srv.login(t, "johndoe", "secret", "me")
	header, _, _ := strings.Cut(tok.AccessToken, ".")
	raw, err := base64.RawURLEncoding.DecodeString(header)
	if err != nil || !strings.Contains(string(raw), `"alg":"HS256"`) {
		t.Fatalf("token header %s: %v", raw, err)
	}
	if r := srv.get(t, "/users/me", bearer(tok.AccessToken)...); r.status != http.StatusOK {
		t.Fatalf("/users/me: %d %s", r.status, r.body)
	}
	if r := srv.get(t, "/api-key/header", "X-API-Key", "demo-api-key"); r.status != http.StatusOK {
		t.Fatalf("default API key: %d %s", r.status, r.body)
	}
}
