package passwordflow

import (
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/token"
)

// region: app

// oauth2 tells clients, and Swagger UI's Authorize dialog, to get tokens
// from POST /token with a username and password.
var oauth2 = security.OAuth2PasswordBearer{
	TokenURL: "/token",
	Scopes:   security.Scopes{"me": "Read your profile.", "items": "Read your items."},
}

// Whoami is the answer of GET /whoami.
type Whoami struct {
	Username string   `json:"username"`
	Scopes   []string `json:"scopes"`
}

func whoami(c *token.Claims) Whoami {
	return Whoami{Username: c.Subject, Scopes: c.Scopes()}
}

// App is the whole example: the token endpoint and one route that needs a
// valid access token.
func App(secret []byte, opts ...framework.Option) fx.Option {
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("Password flow")}, opts...)...),
		Module(secret),
		framework.Security(oauth2),
		framework.Provide(token.BearerClaims[security.OAuth2PasswordBearer]),
		framework.Routes(func(r *framework.Router) {
			r.GET("/whoami", whoami)
		}),
	)
}

// endregion
