// Package jwtpasswords is the example of the JWT and passwords guide: RS256
// access tokens with a published JWKS and key rotation.
package jwtpasswords

import (
	"fmt"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/token"
)

// region: keys

// The iss and aud claims of the tokens.
const (
	Issuer   = "https://auth.example.com"
	Audience = "items-api"
)

// NewKeys makes an RS256 key pair. A real app loads its keys from a secret
// store instead, so every instance and every restart signs with the same
// ones.
func NewKeys() (*token.KeySet, error) {
	key, err := token.GenerateKey(token.RS256)
	if err != nil {
		return nil, fmt.Errorf("jwtpasswords: %w", err)
	}
	return token.NewKeySet(key)
}

// NewIssuer signs access tokens with the current key of keys.
func NewIssuer(keys *token.KeySet) (*token.Issuer, error) {
	return token.NewIssuer(token.IssuerConfig{Issuer: Issuer, Audience: []string{Audience}, Keys: keys})
}

// NewVerifier accepts only RS256 tokens of Issuer for Audience, signed by a
// key of keys.
func NewVerifier(keys *token.KeySet) (*token.Verifier, error) {
	return token.NewVerifier(token.VerifierConfig{
		Issuer:     Issuer,
		Audience:   Audience,
		Algorithms: []string{token.RS256},
		Keys:       keys,
	})
}

// endregion

// region: routes

// Whoami is the answer of GET /whoami.
type Whoami struct {
	Subject string `json:"sub"`
}

func whoami(c *token.Claims) Whoami { return Whoami{Subject: c.Subject} }

func routes(r *framework.Router) {
	r.GET("/whoami", whoami)
	// The public keys, for other services that verify the tokens.
	r.Raw("GET", "/.well-known/jwks.json",
		func(keys *token.KeySet) gin.HandlerFunc { return gin.WrapH(keys.JWKSHandler()) },
		framework.Doc(nil, token.JWKS{}))
}

// endregion

// region: app

// App is the example app.
func App(opts ...framework.Option) fx.Option {
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("JWT")}, opts...)...),
		fx.Provide(NewKeys, NewIssuer, NewVerifier),
		framework.Security(security.HTTPBearer{BearerFormat: "JWT"}),
		framework.Provide(token.BearerClaims[security.HTTPBearer]),
		framework.Routes(routes),
	)
}

// endregion
