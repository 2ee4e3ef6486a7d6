package token

import (
	"github.com/golang-jwt/jwt/v5"

	"github.com/portcullis/portcullis/security"
)

// Claims are the claims of an access token, following the JWT profile for
// OAuth 2.0 access tokens (RFC 9068).
type Claims struct {
	// RegisteredClaims holds iss, sub, aud, exp, nbf, iat and jti.
	jwt.RegisteredClaims
	// Scope lists the granted scopes separated by spaces.
	Scope string `json:"scope,omitempty"`
	// ClientID is the OAuth2 client the token was issued to.
	ClientID string `json:"client_id,omitempty"`
}

// Scopes returns the granted scopes: Scope split on spaces, without empty
// parts or duplicates.
func (c *Claims) Scopes() []string { return security.ParseScope(c.Scope) }
