// Package smallest is the smallest secured app, the one README.md shows.
package smallest

import (
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/token"
)

// region: smallest
var oauth2 = security.OAuth2PasswordBearer{
	TokenURL: "/token",
	Scopes:   security.Scopes{"me": "Read your profile."},
}

// User is who the token belongs to.
type User struct {
	Name string `json:"name"`
}

// currentUser is a dependency: a plain function whose result is injectable by type.
func currentUser(claims *token.Claims) *User { return &User{Name: claims.Subject} }

func readMe(u *User) *User { return u }

// App is the whole app. verifier checks the JWTs your token endpoint issues.
func App(verifier *token.Verifier, opts ...framework.Option) fx.Option {
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("Items API")}, opts...)...),
		framework.Security(oauth2),
		framework.Provide(token.BearerClaims[security.OAuth2PasswordBearer]), // verifies the JWT, enforces scopes
		framework.Provide(currentUser),
		fx.Supply(verifier),
		framework.Routes(func(r *framework.Router) {
			r.GET("/users/me", readMe, framework.Scopes("me"))
		}),
	)
}

// endregion
