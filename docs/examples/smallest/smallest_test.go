package smallest_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/smallest"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
	"github.com/portcullis/portcullis/security/token"
)

func TestSmallestApp(t *testing.T) {
	key, err := token.NewHMACKey("k1", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := token.NewKeySet(key)
	if err != nil {
		t.Fatal(err)
	}
	issuer, err := token.NewIssuer(token.IssuerConfig{Issuer: "https://issuer.test", Audience: []string{"api"}, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := token.NewVerifier(token.VerifierConfig{Issuer: "https://issuer.test", Audience: "api", Algorithms: []string{token.HS256}, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	app := frameworktest.Start(t, smallest.App(verifier, framework.Logger(slog.New(slog.DiscardHandler))))
	withMe, _, err := issuer.Issue("johndoe", []string{"me"})
	if err != nil {
		t.Fatal(err)
	}
	withoutMe, _, err := issuer.Issue("johndoe", []string{"items"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		header    []string
		status    int
		challenge string
	}{
		{"token with me", frameworktest.Bearer(withMe), http.StatusOK, ""},
		{"no token", nil, http.StatusUnauthorized, "Bearer"},
		{"bad token", frameworktest.Bearer("not.a.jwt"), http.StatusUnauthorized, `Bearer error="invalid_token"`},
		{"token without me", frameworktest.Bearer(withoutMe), http.StatusForbidden, `Bearer error="insufficient_scope", scope="me"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := app.Get("/users/me", tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			got := resp.Header.Get("WWW-Authenticate")
			if tt.challenge != "" && (len(got) < len(tt.challenge) || got[:len(tt.challenge)] != tt.challenge) {
				t.Errorf("challenge %q, want it to start with %q", got, tt.challenge)
			}
			if tt.status == http.StatusOK && string(resp.Body) != `{"name":"johndoe"}` {
				t.Errorf("body %s", resp.Body)
			}
		})
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(app.App.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	sec := doc.Paths["/users/me"]["get"].Security
	if len(sec) != 1 || len(sec[0]["OAuth2PasswordBearer"]) != 1 || sec[0]["OAuth2PasswordBearer"][0] != "me" {
		t.Fatalf("security %v, want [{OAuth2PasswordBearer: [me]}]", sec)
	}
}
