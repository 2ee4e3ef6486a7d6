// Package httpbasic is the example of the HTTP Basic guide: Basic
// credentials checked against the user store, and a fixed admin credential
// checked in constant time.
package httpbasic

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/password"
)

// region: scheme

// basic reads "Authorization: Basic base64(user:password)". Every refusal
// carries the challenge `Basic realm="example", charset="UTF-8"`, which
// makes browsers show their login dialog.
var basic = security.HTTPBasic{Realm: "example"}

// endregion

// region: dependency

// basicUser checks the credentials against the user store. An unknown user
// costs one dummy hash check, so it answers like a wrong password, in about
// the same time.
func basicUser(ctx context.Context, cred security.HTTPBasic, users *passwordflow.Users,
	h *password.Hasher) (*passwordflow.User, error) {
	refused := security.Unauthorized(security.ErrInvalidCredentials, "Incorrect username or password", cred.Challenge())
	u, ok := users.Get(cred.Username())
	if !ok {
		h.VerifyDummy(ctx, cred.Password())
		return nil, refused
	}
	match, _, err := h.Verify(ctx, u.PasswordHash, cred.Password()) // constant time
	if err != nil {
		return nil, fmt.Errorf("httpbasic: verifying the password of %s: %w", u.Username, err)
	}
	if !match || u.Disabled {
		return nil, refused
	}
	return &u, nil
}

// endregion

// region: static

// AdminBasic is a second Basic scheme. Its own type tells the framework, and
// the reader, which of the two a handler wants.
type AdminBasic struct{ security.HTTPBasic }

// fixedCredentials accepts one username and password. It hashes both sides
// so the comparisons take the same time whatever the lengths, and checks
// both before answering, so the time does not tell which one was wrong.
func fixedCredentials(username, pass string) func(context.Context, string, string) (bool, error) {
	wantUser, wantPass := sha256.Sum256([]byte(username)), sha256.Sum256([]byte(pass))
	return func(_ context.Context, u, p string) (bool, error) {
		gotUser, gotPass := sha256.Sum256([]byte(u)), sha256.Sum256([]byte(p))
		userOK := subtle.ConstantTimeCompare(gotUser[:], wantUser[:])
		passOK := subtle.ConstantTimeCompare(gotPass[:], wantPass[:])
		return userOK&passOK == 1, nil
	}
}

// endregion

// region: handlers

// Whoami is the answer of the Basic routes.
type Whoami struct {
	Username string `json:"username"`
}

func whoami(u *passwordflow.User) Whoami { return Whoami{Username: u.Username} }

func adminArea(a AdminBasic) Whoami { return Whoami{Username: a.Username()} }

// endregion

// region: app

// App is the example app. adminPassword is the password of the fixed admin
// credential; read it from the environment, never from the source.
func App(adminPassword string, opts ...framework.Option) fx.Option {
	admin := AdminBasic{security.HTTPBasic{Realm: "admin", Validate: fixedCredentials("admin", adminPassword)}}
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("HTTP Basic")}, opts...)...),
		fx.Provide(passwordflow.SeedUsers, func() *password.Hasher { return password.New() }),
		framework.Security(basic, admin),
		framework.Provide(basicUser),
		framework.Routes(func(r *framework.Router) {
			r.GET("/basic/whoami", whoami)
			r.GET("/admin", adminArea)
		}),
	)
}

// endregion
