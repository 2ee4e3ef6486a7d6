package passwordflow_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

func start(t *testing.T) *frameworktest.App {
	t.Helper()
	quiet := framework.Logger(slog.New(slog.DiscardHandler))
	return frameworktest.Start(t, passwordflow.App(passwordflow.TestSecret, quiet), passwordflow.FastHashing())
}

func TestTokenEndpoint(t *testing.T) {
	app := start(t)
	tests := []struct {
		name      string
		form      url.Values
		status    int
		wantError string
		wantScope string
	}{
		{
			name:      "password grant without grant_type",
			form:      url.Values{"username": {"johndoe"}, "password": {"secret"}},
			status:    http.StatusOK,
			wantScope: "me items",
		},
		{
			name:      "asking for one scope grants that one",
			form:      url.Values{"grant_type": {"password"}, "username": {"johndoe"}, "password": {"secret"}, "scope": {"me"}},
			status:    http.StatusOK,
			wantScope: "me",
		},
		{
			name:      "wrong password",
			form:      url.Values{"username": {"johndoe"}, "password": {"guess"}},
			status:    http.StatusBadRequest,
			wantError: "invalid_grant",
		},
		{
			name:      "unknown user gets the same answer",
			form:      url.Values{"username": {"nobody"}, "password": {"secret"}},
			status:    http.StatusBadRequest,
			wantError: "invalid_grant",
		},
		{
			name:      "disabled user",
			form:      url.Values{"username": {"alice"}, "password": {"secret2"}},
			status:    http.StatusBadRequest,
			wantError: "invalid_grant",
		},
		{
			name:      "unknown scope",
			form:      url.Values{"username": {"johndoe"}, "password": {"secret"}, "scope": {"admin"}},
			status:    http.StatusBadRequest,
			wantError: "invalid_scope",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := app.PostForm("/token", tt.form)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			var body struct {
				frameworktest.TokenResponse
				Error  string `json:"error"`
				Detail string `json:"detail"`
			}
			resp.JSON(t, &body)
			if tt.wantError != "" {
				if body.Error != tt.wantError || body.Detail == "" || body.AccessToken != "" {
					t.Errorf("body %s, want error %q with a detail and no token", resp.Body, tt.wantError)
				}
				return
			}
			if body.AccessToken == "" || body.TokenType != "bearer" || body.ExpiresIn <= 0 || body.Scope != tt.wantScope {
				t.Errorf("body %s, want a bearer token with scope %q", resp.Body, tt.wantScope)
			}
		})
	}
}

func TestWrongPasswordAndUnknownUserLookAlike(t *testing.T) {
	app := start(t)
	wrong := app.PostForm("/token", url.Values{"username": {"johndoe"}, "password": {"guess"}})
	unknown := app.PostForm("/token", url.Values{"username": {"nobody"}, "password": {"guess"}})
	if wrong.StatusCode != unknown.StatusCode || string(wrong.Body) != string(unknown.Body) {
		t.Errorf("wrong password: %d %s; unknown user: %d %s", wrong.StatusCode, wrong.Body, unknown.StatusCode, unknown.Body)
	}
}

func TestProtectedRoute(t *testing.T) {
	app := start(t)
	tok := app.Token("johndoe", "secret", "me")
	tests := []struct {
		name      string
		header    []string
		status    int
		challenge string
	}{
		{name: "no token", status: http.StatusUnauthorized, challenge: "Bearer"},
		{
			name: "forged token", header: frameworktest.Bearer(tok + "x"), status: http.StatusUnauthorized,
			challenge: `Bearer error="invalid_token", error_description="invalid token"`,
		},
		{name: "real token", header: frameworktest.Bearer(tok), status: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := app.Get("/whoami", tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.challenge)
			}
			if tt.status != http.StatusOK {
				return
			}
			var who passwordflow.Whoami
			resp.JSON(t, &who)
			if who.Username != "johndoe" || !slices.Equal(who.Scopes, []string{"me"}) {
				t.Errorf("got %+v, want johndoe with scope me", who)
			}
		})
	}
}
