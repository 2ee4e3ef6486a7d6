// Package currentuser is the example of the current-user guide: a
// dependency that turns a verified token into the user it was issued to.
package currentuser

import (
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/token"
)

var oauth2 = security.OAuth2PasswordBearer{TokenURL: "/token"}

// region: dependency

// currentUser loads the user a verified token names. The claims come from
// token.BearerClaims, which has already checked the signature, the expiry,
// the issuer and the audience.
func currentUser(claims *token.Claims, users *passwordflow.Users) (*passwordflow.User, error) {
	u, ok := users.Get(claims.Subject)
	if !ok || u.Disabled {
		// The token is genuine, but it no longer stands for an active user.
		const why = "the user is unknown or disabled"
		return nil, security.Unauthorized(security.ErrInvalidCredentials, why,
			security.BearerChallenge("", "invalid_token", why, ""))
	}
	return &u, nil
}

// endregion

// region: handler

// readMe needs a *passwordflow.User, so the framework runs currentUser, and
// before it token.BearerClaims, and before that the bearer scheme.
func readMe(u *passwordflow.User) *passwordflow.User { return u }

// endregion

// region: app

// App is the example app. secret signs the tokens of the token endpoint.
func App(secret []byte, opts ...framework.Option) fx.Option {
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("Current user")}, opts...)...),
		passwordflow.Module(secret),
		framework.Security(oauth2),
		framework.Provide(token.BearerClaims[security.OAuth2PasswordBearer]),
		framework.Provide(currentUser),
		framework.Routes(func(r *framework.Router) {
			r.GET("/users/me", readMe)
		}),
	)
}

// endregion
