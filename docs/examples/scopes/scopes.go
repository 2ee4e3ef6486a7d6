// Package scopes is the example of the scopes guide: scopes required by a
// group, a route and a dependency, checked by a dependency that reads them
// as security.SecurityScopes.
package scopes

import (
	"context"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/token"
)

// region: scheme

// Every scope a route may require must be declared on a scheme; an unknown
// one stops the app at startup.
var oauth2 = security.OAuth2PasswordBearer{
	TokenURL: "/token",
	Scopes: security.Scopes{
		"me":    "Read information about the current user.",
		"items": "Read items.",
	},
}

// endregion

// region: dependency

// currentUser verifies the token and checks that it grants every scope the
// route requires. scopes is the union of the scopes of the route, its
// groups and the dependencies it reaches.
func currentUser(ctx context.Context, tok security.OAuth2PasswordBearer, scopes security.SecurityScopes,
	v *token.Verifier, users *passwordflow.Users) (*passwordflow.User, error) {
	claims, err := v.VerifyScoped(ctx, tok, scopes) // 401 or 403 with the RFC 6750 challenge
	if err != nil {
		return nil, err
	}
	u, ok := users.Get(claims.Subject)
	if !ok || u.Disabled {
		return nil, security.Unauthorized(security.ErrInvalidCredentials, "inactive user",
			security.BearerChallenge("", "invalid_token", "inactive user", ""))
	}
	return &u, nil
}

// endregion

// region: items

// Item belongs to a user.
type Item struct {
	ItemID string `json:"item_id"`
	Owner  string `json:"owner"`
}

// Items are the current user's items.
type Items []Item

// myItems is registered with framework.Scopes("items"): every route that
// reaches it requires the items scope, whatever the route itself declares.
func myItems(u *passwordflow.User) Items {
	return Items{{ItemID: "foo", Owner: u.Username}, {ItemID: "bar", Owner: u.Username}}
}

// endregion

// region: routes

func readMe(u *passwordflow.User) *passwordflow.User { return u }

func readMyItems(items Items) Items { return items }

// Status is the answer of GET /status.
type Status struct {
	Status string `json:"status"`
}

func status(*passwordflow.User) Status { return Status{Status: "ok"} }

func routes(r *framework.Router) {
	me := r.Group("/users/me", framework.Scopes("me")) // every route of the group needs "me"
	me.GET("", readMe)
	me.GET("/items", readMyItems) // "me" from the group, "items" from myItems
	r.GET("/status", status)      // any valid token, no scope
}

// endregion

// region: app

// App is the example app. secret signs the tokens of the token endpoint.
func App(secret []byte, opts ...framework.Option) fx.Option {
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("Scopes")}, opts...)...),
		passwordflow.Module(secret),
		framework.Security(oauth2),
		framework.Provide(currentUser),
		framework.Provide(myItems, framework.Scopes("items")),
		framework.Routes(routes),
	)
}

// endregion
