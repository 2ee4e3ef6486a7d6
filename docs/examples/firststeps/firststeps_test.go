package firststeps_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/firststeps"
	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

func start(t *testing.T) *frameworktest.App {
	t.Helper()
	quiet := framework.Logger(slog.New(slog.DiscardHandler))
	return frameworktest.Start(t, firststeps.App(passwordflow.TestSecret, quiet), passwordflow.FastHashing())
}

func TestReadItems(t *testing.T) {
	app := start(t)
	tok := app.Token("johndoe", "secret")
	tests := []struct {
		name      string
		header    []string
		status    int
		challenge string
	}{
		{name: "no token", status: http.StatusUnauthorized, challenge: "Bearer"},
		{name: "another auth-scheme", header: []string{"Authorization", "Basic am9objpzZWNyZXQ="}, status: http.StatusUnauthorized, challenge: "Bearer"},
		{
			name: "malformed token", header: []string{"Authorization", "Bearer a b"}, status: http.StatusUnauthorized,
			challenge: `Bearer error="invalid_token", error_description="the bearer token has characters that RFC 6750 does not allow"`,
		},
		{name: "token from /token", header: frameworktest.Bearer(tok), status: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := app.Get("/items", tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			got := resp.Header.Get("WWW-Authenticate")
			if got != tt.challenge {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.challenge)
			}
			if tt.status != http.StatusOK {
				var p struct {
					Detail string `json:"detail"`
				}
				resp.JSON(t, &p)
				if p.Detail == "" || resp.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("want a problem with a detail, got %s %s", resp.Header.Get("Content-Type"), resp.Body)
				}
				return
			}
			var items firststeps.Items
			resp.JSON(t, &items)
			if items.Token != tok {
				t.Errorf("token %q, want the one from /token", items.Token)
			}
		})
	}
}

func TestOpenAPIDocumentsTheScheme(t *testing.T) {
	app := start(t)
	var doc struct {
		Components struct {
			SecuritySchemes map[string]struct {
				Type  string `json:"type"`
				Flows struct {
					Password struct {
						TokenURL string `json:"tokenUrl"`
					} `json:"password"`
				} `json:"flows"`
			} `json:"securitySchemes"`
		} `json:"components"`
		Paths map[string]map[string]struct {
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	resp := app.Get("/openapi.json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /openapi.json: %d", resp.StatusCode)
	}
	if err := json.Unmarshal(resp.Body, &doc); err != nil {
		t.Fatal(err)
	}
	s, ok := doc.Components.SecuritySchemes["OAuth2PasswordBearer"]
	if !ok || s.Type != "oauth2" || s.Flows.Password.TokenURL != "/token" {
		t.Errorf("securitySchemes: %s", resp.Body)
	}
	sec := doc.Paths["/items"]["get"].Security
	if len(sec) != 1 || len(sec[0]) != 1 || sec[0]["OAuth2PasswordBearer"] == nil {
		t.Errorf("security of GET /items: %v", sec)
	}
}
