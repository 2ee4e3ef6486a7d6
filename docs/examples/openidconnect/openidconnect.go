// Package openidconnect is the example of the OpenID Connect guide: tokens
// of an external OpenID Connect issuer, and the app's own authorization code
// flow with PKCE.
package openidconnect

import (
	"context"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/oauth2server"
	"github.com/portcullis/portcullis/security/password"
	"github.com/portcullis/portcullis/security/token"
)

// region: oidc

// Profile is the answer of GET /oidc/profile.
type Profile struct {
	Subject string   `json:"sub"`
	Scopes  []string `json:"scopes"`
}

// profile receives the scheme after it verified the token with the issuer's
// keys: signature, iss, aud (the client id) and exp.
func profile(id security.OpenIdConnect) Profile {
	return Profile{Subject: id.Subject(), Scopes: id.GrantedScopes()}
}

// endregion

// region: clients

// Clients is an in-memory oauth2server.ClientStore.
type Clients map[string]oauth2server.Client

// LookupClient returns the client with that id.
func (c Clients) LookupClient(_ context.Context, id string) (oauth2server.Client, bool, error) {
	client, ok := c[id]
	return client, ok, nil
}

// SwaggerRedirect is where Swagger UI receives the code. Redirect URIs are
// compared exactly, so it names the public address of the app.
const SwaggerRedirect = "http://127.0.0.1:8080/docs/oauth2-redirect.html"

// clients registers Swagger UI as a public client: it cannot keep a secret,
// so it proves itself with PKCE instead.
var clients = Clients{
	"swagger": {
		ID:           "swagger",
		Public:       true,
		RedirectURIs: []string{SwaggerRedirect},
		Scopes:       []string{"me", "items"},
		Grants:       []string{oauth2server.GrantAuthorizationCode, oauth2server.GrantRefreshToken},
	},
}

// endregion

// region: server

// newAuthServer enables the authorization endpoint with a code store, and
// rotating refresh tokens with a refresh store. The in-memory stores suit a
// single instance.
func newAuthServer(users *passwordflow.Users, issuer *token.Issuer, h *password.Hasher) (*oauth2server.Server, error) {
	codes, refresh := oauth2server.NewMemoryStores()
	return oauth2server.New(oauth2server.Config{
		Users: users, Clients: clients, Codes: codes, Refresh: refresh,
		Issuer: issuer, Hasher: h, KnownScopes: []string{"me", "items"},
	})
}

// endregion

// region: code-scheme

// codeFlow documents the authorization code flow for Swagger UI and carries
// the bearer token to token.BearerClaims.
var codeFlow = security.OAuth2AuthorizationCodeBearer{
	AuthorizationURL: "/authorize",
	TokenURL:         "/token",
	Scopes:           security.Scopes{"me": "Read your profile.", "items": "Read your items."},
}

// Me is the answer of GET /users/me.
type Me struct {
	Username string `json:"username"`
}

func readMe(c *token.Claims) Me { return Me{Username: c.Subject} }

func routes(r *framework.Router) {
	authorize := func(s *oauth2server.Server) gin.HandlerFunc { return s.AuthorizeHandler() }
	r.Raw("GET", "/authorize", authorize, framework.Summary("Sign in (login form)"))
	r.Raw("POST", "/authorize", authorize, framework.Summary("Submit the login form"))
	r.Raw("POST", "/token", func(s *oauth2server.Server) gin.HandlerFunc { return s.TokenHandler() },
		framework.Doc(security.OAuth2PasswordRequestForm{}, passwordflow.TokenResponse{}),
		framework.Problems(400, 401, 429))
	r.GET("/users/me", readMe, framework.Scopes("me"))
	r.GET("/oidc/profile", profile)
}

// endregion

// region: app

// App is the example app. oidc verifies the external issuer's tokens;
// secret signs the app's own.
func App(oidc *security.OIDCVerifier, secret []byte, opts ...framework.Option) fx.Option {
	base := []framework.Option{
		framework.Title("OpenID Connect"),
		framework.OAuth2Client("swagger", true), // Swagger UI uses PKCE
	}
	return fx.Options(
		framework.Module(append(base, opts...)...),
		fx.Provide(
			func() *password.Hasher { return password.New() },
			passwordflow.SeedUsers,
			func() (*token.Issuer, *token.Verifier, error) { return passwordflow.NewTokens(secret) },
			newAuthServer,
		),
		framework.Security(codeFlow, security.OpenIdConnect{
			Verifier: oidc,
			Scopes:   security.Scopes{"openid": "Sign in.", "email": "Read your email address."},
		}),
		framework.Provide(token.BearerClaims[security.OAuth2AuthorizationCodeBearer]),
		framework.Routes(routes),
	)
}

// endregion
