package oauth2server

import (
	"bytes"
	"context"
	"net/url"
	"testing"

	"github.com/portcullis/portcullis/security/password"
	"github.com/portcullis/portcullis/security/token"
)

// The real implementations satisfy the interfaces of this package.
var (
	_ PasswordHasher    = (*password.Hasher)(nil)
	_ AccessTokenIssuer = (*token.Issuer)(nil)
)

// TestWithTokenIssuer runs the grants with the real JWT issuer and checks
// the claims a resource server would see.
func TestWithTokenIssuer(t *testing.T) {
	key, err := token.NewHMACKey("k1", bytes.Repeat([]byte("k"), 32))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := token.NewKeySet(key)
	if err != nil {
		t.Fatal(err)
	}
	iss, err := token.NewIssuer(token.IssuerConfig{Issuer: "http://127.0.0.1", Audience: []string{"api"}, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	ver, err := token.NewVerifier(token.VerifierConfig{Issuer: "http://127.0.0.1", Audience: "api",
		Algorithms: []string{token.HS256}, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(c *Config) { c.Issuer = iss })
	tests := []struct {
		name               string
		r                  req
		sub, client, scope string
	}{
		{"password", req{body: url.Values{"username": {"johndoe"}, "password": {"secret"}, "scope": {"me"}}.Encode()},
			"sub-john", "", "me"},
		{"password through a public client", req{body: url.Values{"username": {"johndoe"}, "password": {"secret"},
			"client_id": {"swagger"}}.Encode()}, "sub-john", "swagger", "me items"},
		{"client credentials", req{body: "grant_type=client_credentials", basic: basicAuth("confidential", confidentialSecret)},
			"confidential", "confidential", "items reports"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := decodeToken(t, h.do(tt.r))
			claims, err := ver.Verify(context.Background(), tr.AccessToken)
			if err != nil {
				t.Fatalf("the issued token does not verify: %v", err)
			}
			if claims.Subject != tt.sub || claims.ClientID != tt.client || claims.Scope != tt.scope || tr.Scope != tt.scope {
				t.Errorf("claims sub %q client %q scope %q (answer scope %q); want %q %q %q",
					claims.Subject, claims.ClientID, claims.Scope, tr.Scope, tt.sub, tt.client, tt.scope)
			}
		})
	}
}
