// Package firststeps is the example of the first-steps guide: one route
// that needs an OAuth2 bearer token.
package firststeps

import (
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

// region: scheme

// oauth2 says where clients get a token: POST /token, with a username and
// a password. Swagger UI's Authorize dialog reads the same value.
var oauth2 = security.OAuth2PasswordBearer{TokenURL: "/token"}

// endregion

// region: handler

// Items is the answer of GET /items.
type Items struct {
	Token string `json:"token"`
}

// readItems runs only when the request carries a bearer token. The
// parameter is a copy of oauth2 that holds it.
func readItems(tok security.OAuth2PasswordBearer) Items {
	return Items{Token: tok.Token()}
}

// endregion

// region: app

// App is the example app. secret signs the tokens of the token endpoint.
func App(secret []byte, opts ...framework.Option) fx.Option {
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("First steps")}, opts...)...),
		passwordflow.Module(secret), // POST /token, see the password flow guide
		framework.Security(oauth2),
		framework.Routes(func(r *framework.Router) {
			r.GET("/items", readItems)
		}),
	)
}

// endregion
