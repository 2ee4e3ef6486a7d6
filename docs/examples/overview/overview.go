// Package overview is the example of the security overview: one route per
// kind of security scheme OpenAPI 3.0 knows.
package overview

import (
	"context"
	"fmt"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

// Schemes are the scheme values of the example, one of each kind.
type Schemes struct {
	APIKey            security.APIKeyHeader
	Basic             security.HTTPBasic
	Bearer            security.HTTPBearer
	Digest            security.HTTPDigest
	Password          security.OAuth2PasswordBearer
	ClientCredentials security.OAuth2ClientCredentials
	AuthorizationCode security.OAuth2AuthorizationCodeBearer
	Implicit          security.OAuth2Implicit
	OpenIDConnect     security.OpenIdConnect
}

// NewSchemes builds the scheme values. digestKey keys the digest nonces
// (32 random bytes); oidcIssuer is the OpenID Connect issuer's URL.
func NewSchemes(digestKey []byte, oidcIssuer string) (Schemes, error) {
	oidc, err := security.NewOIDCVerifier(context.Background(), oidcIssuer, "overview")
	if err != nil {
		return Schemes{}, fmt.Errorf("overview: %w", err)
	}
	// region: schemes
	s := Schemes{
		// apiKey: a key in a header, the query or a cookie.
		APIKey: security.APIKeyHeader{Name: "X-API-Key", Validate: security.StaticKeys("demo-api-key")},
		// http basic: user-id and password in the Authorization header.
		Basic: security.HTTPBasic{Realm: "example"},
		// http bearer: any bearer token, here a JWT.
		Bearer: security.HTTPBearer{BearerFormat: "JWT"},
		// http digest: a challenge-response; the password never travels.
		Digest: security.HTTPDigest{
			Realm:  "example",
			Lookup: lookupHA1,
			Nonces: security.NewDigestNonces(digestKey, 0, nil),
		},
		// oauth2 password flow: username and password posted to TokenURL.
		Password: security.OAuth2PasswordBearer{TokenURL: "/token"},
		// oauth2 client credentials flow: a client id and secret, no user.
		ClientCredentials: security.OAuth2ClientCredentials{TokenURL: "/token"},
		// oauth2 authorization code flow: a login page, then a code.
		AuthorizationCode: security.OAuth2AuthorizationCodeBearer{
			AuthorizationURL: "/authorize", TokenURL: "/token",
		},
		// oauth2 implicit flow: legacy, documented for old clients only.
		Implicit: security.OAuth2Implicit{AuthorizationURL: "/authorize"},
		// openIdConnect: tokens of an external issuer, found by discovery.
		OpenIDConnect: security.OpenIdConnect{Verifier: oidc},
	}
	// endregion
	return s, nil
}

// lookupHA1 knows one digest user, johndoe with the password "secret".
func lookupHA1(_ context.Context, username, realm, algorithm string) (string, bool, error) {
	if username != "johndoe" {
		return "", false, nil
	}
	return security.DigestHA1(algorithm, username, realm, "secret"), true, nil
}

// region: handlers

// OK is the answer of every route of the example.
type OK struct {
	Scheme string `json:"scheme"`
}

func apiKey(security.APIKeyHeader) OK                { return OK{"apiKey"} }
func basic(security.HTTPBasic) OK                    { return OK{"basic"} }
func bearer(security.HTTPBearer) OK                  { return OK{"bearer"} }
func digest(security.HTTPDigest) OK                  { return OK{"digest"} }
func password(security.OAuth2PasswordBearer) OK      { return OK{"password"} }
func client(security.OAuth2ClientCredentials) OK     { return OK{"clientCredentials"} }
func code(security.OAuth2AuthorizationCodeBearer) OK { return OK{"authorizationCode"} }
func implicit(security.OAuth2Implicit) OK            { return OK{"implicit"} }
func openIDConnect(security.OpenIdConnect) OK        { return OK{"openIdConnect"} }

// endregion

// App is the example app.
func App(s Schemes, opts ...framework.Option) fx.Option {
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("Security schemes")}, opts...)...),
		framework.Security(s.APIKey, s.Basic, s.Bearer, s.Digest, s.Password, s.ClientCredentials,
			s.AuthorizationCode, s.Implicit, s.OpenIDConnect),
		framework.Routes(func(r *framework.Router) {
			r.GET("/api-key", apiKey)
			r.GET("/basic", basic)
			r.GET("/bearer", bearer)
			r.GET("/digest", digest)
			r.GET("/password", password)
			r.GET("/client", client)
			r.GET("/code", code)
			r.GET("/implicit", implicit)
			r.GET("/oidc", openIDConnect)
		}),
	)
}
