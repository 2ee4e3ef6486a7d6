package main

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/portcullis/portcullis/example-app/store"
	"github.com/portcullis/portcullis/security/token"
)

// hostileSecret is the JWT_SECRET of the hostile-client tests, so that they
// can sign tokens for any subject.
const hostileSecret = "a-hostile-e2e-secret-of-32-bytes-or-more"

// tokenMinter signs tokens the way example-app does, with its HS256 secret
// and its stored ES256 OpenID Connect key.
type tokenMinter struct {
	hs, es *token.Issuer
}

// newTokenMinter builds the issuers for a server started with
// hostileSecret; the ES256 key is read from the stopped server's database.
func newTokenMinter(t *testing.T, issuer, db string) tokenMinter {
	t.Helper()
	hsKey, err := token.NewHMACKey("", []byte(hostileSecret))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	stored, ok, err := st.Key(context.Background(), "oidc")
	if closeErr := st.Close(); closeErr != nil {
		t.Fatal(closeErr)
	}
	if err != nil || !ok {
		t.Fatalf("OpenID Connect key: found %v, %v", ok, err)
	}
	priv, err := x509.ParsePKCS8PrivateKey(stored.Material)
	if err != nil {
		t.Fatal(err)
	}
	esKey, err := token.NewKey(stored.ID, stored.Algorithm, priv)
	if err != nil {
		t.Fatal(err)
	}
	issuerFor := func(k token.Key) *token.Issuer {
		ks, err := token.NewKeySet(k)
		if err != nil {
			t.Fatal(err)
		}
		i, err := token.NewIssuer(token.IssuerConfig{Issuer: issuer, Audience: []string{"example-app"}, Keys: ks})
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	return tokenMinter{hs: issuerFor(hsKey), es: issuerFor(esKey)}
}

func mint(t *testing.T, i *token.Issuer, subject, clientID, scope string) string {
	t.Helper()
	var opts []token.IssueOption
	if clientID != "" {
		opts = append(opts, token.WithClientID(clientID))
	}
	raw, _, err := i.Issue(subject, strings.Fields(scope), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// startHostile starts example-app with hostileSecret, stops it once to read
// its OpenID Connect key, and starts it again on the same database.
func startHostile(t *testing.T) (*server, tokenMinter) {
	t.Helper()
	addr := freeAddr(t)
	db := filepath.Join(t.TempDir(), "hostile.db")
	env := []string{"DATABASE_URL=" + db, "JWT_SECRET=" + hostileSecret}
	first := start(t, addr, env...)
	first.stop()
	minter := newTokenMinter(t, "http://"+addr, db)
	return start(t, addr, env...), minter
}

// TestHostileTokens pins that a token whose subject is a disabled user, or
// neither a user nor its own client, is refused on every route a token
// opens, not only on those that load the user.
func TestHostileTokens(t *testing.T) {
	srv, m := startHostile(t)
	defer srv.stop()
	const allScopes = "me items openid"
	inactive := func(t *testing.T, r reply) {
		t.Helper()
		if r.status != http.StatusBadRequest {
			t.Fatalf("status %d, want 400: %s", r.status, r.body)
		}
		if d := problemDetail(t, r); d != "Inactive user" {
			t.Fatalf("detail %q, want Inactive user", d)
		}
	}
	notAUser := func(t *testing.T, r reply) {
		t.Helper()
		const detail = "the token's subject is not a user"
		expectRefusal(t, r, http.StatusUnauthorized, `Bearer error="invalid_token", error_description="`+detail+`"`)
		if d := problemDetail(t, r); d != detail {
			t.Fatalf("detail %q, want %q", d, detail)
		}
	}
	ok := func(t *testing.T, r reply) {
		t.Helper()
		if r.status != http.StatusOK {
			t.Fatalf("status %d, want 200: %s", r.status, r.body)
		}
	}
	tests := []struct {
		name  string
		path  string
		tok   string
		check func(*testing.T, reply)
	}{
		{"alice on /users/me", "/users/me", mint(t, m.hs, "alice", "", allScopes), inactive},
		{"alice on /items", "/items", mint(t, m.hs, "alice", "", allScopes), inactive},
		{"alice on /reports", "/reports", mint(t, m.hs, "alice", "", allScopes), inactive},
		{"alice on /status", "/status", mint(t, m.hs, "alice", "", allScopes), inactive},
		{"alice on /bearer/whoami", "/bearer/whoami", mint(t, m.hs, "alice", "", allScopes), inactive},
		{"alice on /oauth2/code", "/oauth2/code", mint(t, m.hs, "alice", "swagger-ui", allScopes), inactive},
		{"alice on /oauth2/implicit", "/oauth2/implicit", mint(t, m.hs, "alice", "swagger-ui", allScopes), inactive},
		{"alice on /oidc/whoami", "/oidc/whoami", mint(t, m.es, "alice", "swagger-ui", allScopes), inactive},
		{"ghost on /status", "/status", mint(t, m.hs, "ghost", "", allScopes), notAUser},
		{"ghost on /bearer/whoami", "/bearer/whoami", mint(t, m.hs, "ghost", "", allScopes), notAUser},
		{"ghost on /oauth2/code", "/oauth2/code", mint(t, m.hs, "ghost", "swagger-ui", allScopes), notAUser},
		{"ghost on /oidc/whoami", "/oidc/whoami", mint(t, m.es, "ghost", "swagger-ui", allScopes), notAUser},
		{"a subject posing as another client", "/status", mint(t, m.hs, "demo-client", "swagger-ui", "items"), notAUser},
		{"johndoe on /status", "/status", mint(t, m.hs, "johndoe", "", allScopes), ok},
		{"johndoe on /bearer/whoami", "/bearer/whoami", mint(t, m.hs, "johndoe", "", allScopes), ok},
		{"johndoe on /oidc/whoami", "/oidc/whoami", mint(t, m.es, "johndoe", "swagger-ui", allScopes), ok},
		{"demo-client on /status", "/status", mint(t, m.hs, "demo-client", "demo-client", "items"), ok},
		{"demo-client on /oauth2/client", "/oauth2/client", mint(t, m.hs, "demo-client", "demo-client", "items"), ok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, srv.get(t, tt.path, bearer(tt.tok)...))
		})
	}
}

// probe is one hostile request.
type probe struct {
	name, method, path, body string
	headers                  []string
	// oauth is true for the token endpoint, which answers RFC 6749 errors.
	oauth bool
}

// hostileProbes are requests a careless or hostile client sends. Each must
// get a 4xx with a problem+json body that has a detail (an RFC 6749 error
// with error and error_description on the token endpoint).
func hostileProbes(john string) []probe {
	form := "application/x-www-form-urlencoded"
	basic := func(s string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(s)) }
	return []probe{
		{name: "empty Authorization", method: "GET", path: "/users/me", headers: []string{"Authorization", ""}},
		{name: "Bearer without token", method: "GET", path: "/status", headers: []string{"Authorization", "Bearer "}},
		{name: "Basic on a bearer route", method: "GET", path: "/users/me", headers: []string{"Authorization", basic("johndoe:secret")}},
		{name: "two Authorization headers", method: "GET", path: "/items", headers: []string{"Authorization", "Bearer " + john, "Authorization", "Bearer x"}},
		{name: "token with a space inside", method: "GET", path: "/users/me", headers: []string{"Authorization", "Bearer " + john[:10] + " " + john[10:]}},
		{name: "token in the query", method: "GET", path: "/users/me?access_token=" + john},
		{name: "alg none", method: "GET", path: "/status", headers: []string{"Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJqb2huZG9lIn0."}},
		{name: "HS256 token on the OpenID Connect route", method: "GET", path: "/oidc/whoami", headers: bearer(john)},
		{name: "token lacks a scope", method: "GET", path: "/oauth2/client", headers: bearer(john)},
		{name: "two API key headers", method: "GET", path: "/api-key/header", headers: []string{"X-API-Key", "a", "X-API-Key", "b"}},
		{name: "API key not UTF-8", method: "GET", path: "/api-key/header", headers: []string{"X-API-Key", "\xff\xfe"}},
		{name: "two API keys in the query", method: "GET", path: "/api-key/query?api_key=a&api_key=b"},
		{name: "API key with a bad escape", method: "GET", path: "/api-key/query?api_key=%zz"},
		{name: "empty API key cookie", method: "GET", path: "/api-key/cookie", headers: []string{"Cookie", "api_key="}},
		{name: "Basic not base64", method: "GET", path: "/basic/whoami", headers: []string{"Authorization", "Basic !!!"}},
		{name: "Basic with a NUL", method: "GET", path: "/basic/whoami", headers: []string{"Authorization", basic("john\x00doe:secret")}},
		{name: "Basic not UTF-8", method: "GET", path: "/basic/whoami", headers: []string{"Authorization", basic("\xff:secret")}},
		{name: "Basic disabled user", method: "GET", path: "/basic/whoami", headers: []string{"Authorization", basic("alice:secret2")}},
		{name: "Digest garbage", method: "GET", path: "/digest/whoami", headers: []string{"Authorization", `Digest username="` + strings.Repeat("a", 60<<10) + `"`}},
		{name: "neither credential on /reports", method: "GET", path: "/reports"},
		{name: "PUT", method: "PUT", path: "/users/me"},
		{name: "DELETE", method: "DELETE", path: "/token"},
		{name: "unknown method", method: "FOO", path: "/items"},
		{name: "traversal", method: "GET", path: "/docs/%2e%2e/%2e%2e/etc/passwd"},
		{name: "NUL in the path", method: "GET", path: "/status%00"},
		{name: "GET with a large body", method: "GET", path: "/status", body: strings.Repeat("x", 2<<20), headers: bearer(john)},
		{name: "authorize without parameters, JSON", method: "GET", path: "/authorize", headers: []string{"Accept", "application/json"}},
		{name: "authorize with a foreign redirect_uri, JSON", method: "GET",
			path:    "/authorize?client_id=swagger-ui&response_type=code&redirect_uri=" + url.QueryEscape("http://evil.example/docs/oauth2-redirect.html"),
			headers: []string{"Accept", "application/json"}},
		{name: "token JSON body", method: "POST", path: "/token", body: `{"username":"johndoe","password":"secret"}`, headers: []string{"Content-Type", "application/json"}, oauth: true},
		{name: "token repeated username", method: "POST", path: "/token", body: "username=johndoe&username=alice&password=secret", headers: []string{"Content-Type", form}, oauth: true},
		{name: "token scope with a tab", method: "POST", path: "/token", body: "username=johndoe&password=secret&scope=me%09items", headers: []string{"Content-Type", form}, oauth: true},
		{name: "token unknown grant", method: "POST", path: "/token", body: "grant_type=PASSWORD&username=johndoe&password=secret", headers: []string{"Content-Type", form}, oauth: true},
		{name: "token password in the URL", method: "POST", path: "/token?password=secret", body: "username=johndoe&password=secret", headers: []string{"Content-Type", form}, oauth: true},
		{name: "token NUL in the body", method: "POST", path: "/token", body: "username=john\x00doe&password=secret", headers: []string{"Content-Type", form}, oauth: true},
		{name: "token bad escape", method: "POST", path: "/token", body: "username=%zz&password=secret", headers: []string{"Content-Type", form}, oauth: true},
		{name: "token disabled user", method: "POST", path: "/token", body: "username=alice&password=secret2", headers: []string{"Content-Type", form}, oauth: true},
		{name: "token two Authorization headers", method: "POST", path: "/token", body: "grant_type=client_credentials",
			headers: []string{"Content-Type", form, "Authorization", basic("demo-client:demo-secret"), "Authorization", basic("demo-client:demo-secret")}, oauth: true},
		{name: "token Basic and client_secret", method: "POST", path: "/token", body: "grant_type=client_credentials&client_secret=demo-secret",
			headers: []string{"Content-Type", form, "Authorization", basic("demo-client:demo-secret")}, oauth: true},
		{name: "token huge password", method: "POST", path: "/token", body: "username=johndoe&password=" + strings.Repeat("p", 900<<10), headers: []string{"Content-Type", form}, oauth: true},
	}
}

// checkProbe requires a 4xx with the error body of the endpoint.
func checkProbe(t testing.TB, p probe, r reply) {
	t.Helper()
	if r.status < 400 || r.status > 499 {
		t.Fatalf("%s %s: status %d, want a 4xx: %s", p.method, p.path, r.status, r.body)
	}
	var body struct {
		Detail string `json:"detail"`
		Error  string `json:"error"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("%s %s: body %q: %v", p.method, p.path, r.body, err)
	}
	ct := r.header.Get("Content-Type")
	switch {
	case p.oauth && (body.Error == "" || !strings.HasPrefix(ct, "application/json")):
		t.Fatalf("%s %s: Content-Type %q, body %s, want an RFC 6749 error", p.method, p.path, ct, r.body)
	case !p.oauth && !strings.HasPrefix(ct, "application/problem+json"):
		t.Fatalf("%s %s: Content-Type %q, want application/problem+json: %s", p.method, p.path, ct, r.body)
	case body.Detail == "":
		t.Fatalf("%s %s: no detail: %s", p.method, p.path, r.body)
	}
}

func sendProbe(t testing.TB, srv *server, p probe) reply {
	t.Helper()
	return do(t, noRedirect, p.method, srv.base+p.path, strings.NewReader(p.body), p.headers...)
}

// TestHostileRequests sends every hostile probe once, then all of them 200
// at a time mixed with good requests, and requires 4xx answers with the
// right body, no 5xx, and a server that still answers afterwards.
func TestHostileRequests(t *testing.T) {
	srv, _ := startHostile(t)
	john := srv.login(t, "johndoe", "secret", "")
	probes := hostileProbes(john.AccessToken)
	for _, p := range probes {
		t.Run(p.name, func(t *testing.T) { checkProbe(t, p, sendProbe(t, srv, p)) })
	}
	t.Run("200 in parallel", func(t *testing.T) {
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			errs []string
		)
		for i := range 200 {
			wg.Go(func() {
				var r reply
				p := probes[i%len(probes)]
				switch i % 5 {
				case 0:
					r = srv.get(t, "/users/me/items", bearer(john.AccessToken)...)
				case 1:
					r = srv.get(t, "/items")
				default:
					r = sendProbe(t, srv, p)
				}
				mu.Lock()
				defer mu.Unlock()
				if r.status >= 500 {
					errs = append(errs, fmt.Sprintf("request %d: status %d: %s", i, r.status, r.body))
				}
			})
		}
		wg.Wait()
		for _, e := range errs {
			t.Error(e)
		}
		if r := srv.get(t, "/users/me", bearer(john.AccessToken)...); r.status != http.StatusOK {
			t.Fatalf("after the burst: /users/me %d %s", r.status, r.body)
		}
	})
	srv.stop()
	if logs := srv.logs.String(); strings.Contains(logs, "level=ERROR") || strings.Contains(logs, " ERROR ") {
		t.Errorf("the server logged errors:\n%s", logs)
	}
}
