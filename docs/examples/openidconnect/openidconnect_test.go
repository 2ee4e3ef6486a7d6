package openidconnect_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/openidconnect"
	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/token"
)

const clientID = "portcullis-app"

// provider is a minimal OpenID Connect issuer on loopback: a discovery
// document and a JWKS, and an issuer to sign tokens with.
type provider struct {
	url    string
	issuer func(aud string) *token.Issuer
}

func newProvider(t *testing.T) *provider {
	t.Helper()
	key, err := token.GenerateKey(token.RS256)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := token.NewKeySet(key)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                srv.URL,
			"jwks_uri":                              srv.URL + "/jwks",
			"authorization_endpoint":                srv.URL + "/authorize",
			"token_endpoint":                        srv.URL + "/token",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.Handle("/jwks", keys.JWKSHandler())
	return &provider{url: srv.URL, issuer: func(aud string) *token.Issuer {
		iss, err := token.NewIssuer(token.IssuerConfig{Issuer: srv.URL, Audience: []string{aud}, Keys: keys})
		if err != nil {
			t.Fatal(err)
		}
		return iss
	}}
}

func (p *provider) sign(t *testing.T, aud string) string {
	t.Helper()
	raw, _, err := p.issuer(aud).Issue("ext-user-42", []string{"openid", "email"})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func start(t *testing.T) (*frameworktest.App, *provider) {
	t.Helper()
	idp := newProvider(t)
	// region: verifier
	verifier, err := security.NewOIDCVerifier(context.Background(), idp.url, clientID)
	// endregion
	if err != nil {
		t.Fatal(err)
	}
	quiet := framework.Logger(slog.New(slog.DiscardHandler))
	app := frameworktest.Start(t, openidconnect.App(verifier, passwordflow.TestSecret, quiet), passwordflow.FastHashing())
	return app, idp
}

func TestOpenIDConnect(t *testing.T) {
	app, idp := start(t)
	other := newProvider(t)
	tests := []struct {
		name      string
		header    []string
		status    int
		challenge string
	}{
		{name: "no token", status: http.StatusUnauthorized, challenge: "Bearer"},
		{name: "issuer's token", header: frameworktest.Bearer(idp.sign(t, clientID)), status: http.StatusOK},
		{
			name: "token for another client", header: frameworktest.Bearer(idp.sign(t, "someone-else")),
			status: http.StatusUnauthorized, challenge: `Bearer error="invalid_token", error_description="the token is invalid"`,
		},
		{
			name: "token of another issuer", header: frameworktest.Bearer(other.sign(t, clientID)),
			status: http.StatusUnauthorized, challenge: `Bearer error="invalid_token", error_description="the token is invalid"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := app.Get("/oidc/profile", tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.challenge)
			}
			if tt.status != http.StatusOK {
				return
			}
			var p openidconnect.Profile
			resp.JSON(t, &p)
			if p.Subject != "ext-user-42" || !slices.Equal(p.Scopes, []string{"openid", "email"}) {
				t.Errorf("profile %+v", p)
			}
		})
	}
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

// browser keeps the login form's cookie and stops at redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// authorize signs in as johndoe at /authorize and returns the code.
func authorize(t *testing.T, app *frameworktest.App, challenge string) string {
	t.Helper()
	b := browser(t)
	q := url.Values{
		"response_type": {"code"}, "client_id": {"swagger"}, "redirect_uri": {openidconnect.SwaggerRedirect},
		"scope": {"me"}, "state": {"xyz"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"},
	}
	res, err := b.Get(app.URL + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /authorize: %d %v", res.StatusCode, err)
	}
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page), -1) {
		form.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	if form.Get("form_token") == "" {
		t.Fatalf("no form_token in the login page:\n%s", page)
	}
	form.Set("username", "johndoe")
	form.Set("password", "secret")
	res, err = b.PostForm(app.URL+"/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		t.Fatalf("POST /authorize: %d, want 302", res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if loc.Query().Get("state") != "xyz" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect %s, want a code and the state", loc)
	}
	return loc.Query().Get("code")
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	app, _ := start(t)
	// region: pkce
	verifier := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // 43 to 128 random characters
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:]) // sent to /authorize
	// endregion
	exchange := func(code, verifier string) *frameworktest.Response {
		return app.PostForm("/token", url.Values{
			"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier},
			"redirect_uri": {openidconnect.SwaggerRedirect}, "client_id": {"swagger"},
		})
	}
	t.Run("wrong verifier", func(t *testing.T) {
		resp := exchange(authorize(t, app, challenge), "wrong-verifier-wrong-verifier-wrong-verifier")
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(resp.Body), `"invalid_grant"`) {
			t.Errorf("got %d %s, want 400 invalid_grant", resp.StatusCode, resp.Body)
		}
	})
	t.Run("no token", func(t *testing.T) {
		resp := app.Get("/users/me")
		if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("got %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	})
	t.Run("code and verifier", func(t *testing.T) {
		code := authorize(t, app, challenge)
		resp := exchange(code, verifier)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("token: %d %s", resp.StatusCode, resp.Body)
		}
		var tr frameworktest.TokenResponse
		resp.JSON(t, &tr)
		if tr.Scope != "me" || tr.RefreshToken == "" {
			t.Errorf("token answer %s, want scope me and a refresh token", resp.Body)
		}
		me := app.Get("/users/me", frameworktest.Bearer(tr.AccessToken)...)
		if me.StatusCode != http.StatusOK || string(me.Body) != `{"username":"johndoe"}` {
			t.Errorf("GET /users/me: %d %s", me.StatusCode, me.Body)
		}
		if again := exchange(code, verifier); again.StatusCode != http.StatusBadRequest {
			t.Errorf("a code redeemed twice: %d %s, want 400", again.StatusCode, again.Body)
		}
	})
}
