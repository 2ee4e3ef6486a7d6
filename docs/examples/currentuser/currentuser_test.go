package currentuser_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/docs/examples/currentuser"
	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
	"github.com/portcullis/portcullis/security/token"
)

func TestReadMe(t *testing.T) {
	var issuer *token.Issuer
	quiet := framework.Logger(slog.New(slog.DiscardHandler))
	app := frameworktest.Start(t, currentuser.App(passwordflow.TestSecret, quiet), passwordflow.FastHashing(),
		fx.Populate(&issuer))
	// alice is disabled, so /token refuses her; a token issued before she
	// was disabled is made here with the app's own issuer.
	issue := func(subject string) string {
		raw, _, err := issuer.IssueAccessToken(context.Background(), subject, "", []string{"me"})
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	const invalid = `Bearer error="invalid_token", error_description="the user is unknown or disabled"`
	tests := []struct {
		name      string
		header    []string
		status    int
		challenge string
	}{
		{name: "no token", status: http.StatusUnauthorized, challenge: "Bearer"},
		{name: "johndoe logged in at /token", header: frameworktest.Bearer(app.Token("johndoe", "secret")), status: http.StatusOK},
		{name: "disabled user", header: frameworktest.Bearer(issue("alice")), status: http.StatusUnauthorized, challenge: invalid},
		{name: "user who does not exist", header: frameworktest.Bearer(issue("ghost")), status: http.StatusUnauthorized, challenge: invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := app.Get("/users/me", tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.challenge)
			}
			if tt.status != http.StatusOK {
				return
			}
			want := `{"username":"johndoe","email":"johndoe@example.com","full_name":"John Doe","disabled":false}`
			if string(resp.Body) != want {
				t.Errorf("body %s, want %s", resp.Body, want)
			}
			if strings.Contains(string(resp.Body), "argon2") {
				t.Error("the answer leaks the password hash")
			}
		})
	}
}
