package httpbasic_test

import (
	"encoding/base64"
	"log/slog"
	"net/http"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/httpbasic"
	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

func basic(user, pass string) []string {
	return []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))}
}

func TestBasic(t *testing.T) {
	quiet := framework.Logger(slog.New(slog.DiscardHandler))
	app := frameworktest.Start(t, httpbasic.App("swordfish", quiet), passwordflow.FastHashing())
	const (
		example = `Basic realm="example", charset="UTF-8"`
		admin   = `Basic realm="admin", charset="UTF-8"`
	)
	tests := []struct {
		name      string
		path      string
		header    []string
		status    int
		challenge string
		user      string
	}{
		{name: "no credentials", path: "/basic/whoami", status: http.StatusUnauthorized, challenge: example},
		{name: "right password", path: "/basic/whoami", header: basic("johndoe", "secret"), status: http.StatusOK, user: "johndoe"},
		{name: "wrong password", path: "/basic/whoami", header: basic("johndoe", "guess"), status: http.StatusUnauthorized, challenge: example},
		{name: "unknown user", path: "/basic/whoami", header: basic("nobody", "secret"), status: http.StatusUnauthorized, challenge: example},
		{name: "disabled user", path: "/basic/whoami", header: basic("alice", "secret2"), status: http.StatusUnauthorized, challenge: example},
		{
			name: "not base64", path: "/basic/whoami", header: []string{"Authorization", "Basic %%%"},
			status: http.StatusUnauthorized, challenge: example,
		},
		{name: "admin without credentials", path: "/admin", status: http.StatusUnauthorized, challenge: admin},
		{name: "admin right", path: "/admin", header: basic("admin", "swordfish"), status: http.StatusOK, user: "admin"},
		{name: "admin wrong password", path: "/admin", header: basic("admin", "swordfisH"), status: http.StatusUnauthorized, challenge: admin},
		{name: "admin wrong user", path: "/admin", header: basic("root", "swordfish"), status: http.StatusUnauthorized, challenge: admin},
		{name: "a user is no admin", path: "/admin", header: basic("johndoe", "secret"), status: http.StatusUnauthorized, challenge: admin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := app.Get(tt.path, tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.challenge)
			}
			if tt.status != http.StatusOK {
				return
			}
			var who httpbasic.Whoami
			resp.JSON(t, &who)
			if who.Username != tt.user {
				t.Errorf("username %q, want %q", who.Username, tt.user)
			}
		})
	}
}
