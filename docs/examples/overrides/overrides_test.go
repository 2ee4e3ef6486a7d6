package overrides_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/overrides"
	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

var quiet = framework.Logger(slog.New(slog.DiscardHandler))

// region: real-token

func TestReadMeWithARealToken(t *testing.T) {
	app := frameworktest.Start(t,
		overrides.App(passwordflow.TestSecret, quiet),
		passwordflow.FastHashing(), // cheap argon2id: tests log in in microseconds
	)
	tok := app.Token("johndoe", "secret") // a real POST /token

	tests := []struct {
		name      string
		header    []string
		status    int
		challenge string
	}{
		{name: "no token", status: http.StatusUnauthorized, challenge: "Bearer"},
		{name: "real token", header: frameworktest.Bearer(tok), status: http.StatusOK},
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
		})
	}
}

// endregion

// region: override

func TestReadMeWithAnOverride(t *testing.T) {
	fake := func() *passwordflow.User {
		return &passwordflow.User{Username: "tester", Email: "tester@example.com"}
	}
	app := frameworktest.Start(t,
		overrides.App(passwordflow.TestSecret, quiet),
		frameworktest.Override(fake), // replaces whatever provides *passwordflow.User
	)

	resp := app.Get("/users/me") // no token: the override does not need one
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}
	var u passwordflow.User
	resp.JSON(t, &u)
	if u.Username != "tester" {
		t.Errorf("user %+v, want the fake one", u)
	}
}

// endregion
