package scopes_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/docs/examples/scopes"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

func start(t *testing.T) *frameworktest.App {
	t.Helper()
	quiet := framework.Logger(slog.New(slog.DiscardHandler))
	return frameworktest.Start(t, scopes.App(passwordflow.TestSecret, quiet), passwordflow.FastHashing())
}

func TestScopes(t *testing.T) {
	app := start(t)
	meOnly := frameworktest.Bearer(app.Token("johndoe", "secret", "me"))
	itemsOnly := frameworktest.Bearer(app.Token("johndoe", "secret", "items"))
	both := frameworktest.Bearer(app.Token("johndoe", "secret", "me", "items"))
	tests := []struct {
		name      string
		path      string
		header    []string
		status    int
		challenge string
	}{
		{name: "profile without token", path: "/users/me", status: http.StatusUnauthorized, challenge: "Bearer"},
		{name: "profile with me", path: "/users/me", header: meOnly, status: http.StatusOK},
		{
			name: "profile with items only", path: "/users/me", header: itemsOnly, status: http.StatusForbidden,
			challenge: `Bearer error="insufficient_scope", scope="me"`,
		},
		{
			name: "items with me only", path: "/users/me/items", header: meOnly, status: http.StatusForbidden,
			challenge: `Bearer error="insufficient_scope", scope="items me"`,
		},
		{name: "items with both", path: "/users/me/items", header: both, status: http.StatusOK},
		{name: "status with any scope", path: "/status", header: itemsOnly, status: http.StatusOK},
		{name: "status without token", path: "/status", status: http.StatusUnauthorized, challenge: "Bearer"},
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
		})
	}
	t.Run("items belong to the user", func(t *testing.T) {
		var items scopes.Items
		app.Get("/users/me/items", both...).JSON(t, &items)
		if len(items) != 2 || items[0].Owner != "johndoe" {
			t.Errorf("items %+v", items)
		}
	})
}

func TestOpenAPIScopes(t *testing.T) {
	app := start(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(app.App.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		want       []string
	}{
		{name: "group scope", path: "/users/me", want: []string{"me"}},
		{name: "group and dependency scopes", path: "/users/me/items", want: []string{"items", "me"}},
		{name: "no scope", path: "/status", want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sec := doc.Paths[tt.path]["get"].Security
			if len(sec) != 1 {
				t.Fatalf("security %v, want one requirement", sec)
			}
			got, ok := sec[0]["OAuth2PasswordBearer"]
			if !ok || !slices.Equal(got, tt.want) {
				t.Errorf("scopes %v, want %v", got, tt.want)
			}
		})
	}
}
