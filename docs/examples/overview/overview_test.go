package overview_test

import (
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/overview"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

func start(t *testing.T) *frameworktest.App {
	t.Helper()
	s, err := overview.NewSchemes([]byte("a digest nonce key of 32 bytes.."), "https://issuer.example.com")
	if err != nil {
		t.Fatal(err)
	}
	return frameworktest.Start(t, overview.App(s, framework.Logger(slog.New(slog.DiscardHandler))))
}

func TestEverySchemeRefusesWithoutCredentials(t *testing.T) {
	app := start(t)
	tests := []struct {
		path      string
		challenge string // a prefix of the first WWW-Authenticate value
	}{
		{"/api-key", "APIKey"},
		{"/basic", `Basic realm="example", charset="UTF-8"`},
		{"/bearer", "Bearer"},
		{"/digest", `Digest realm="example"`},
		{"/password", "Bearer"},
		{"/client", "Bearer"},
		{"/code", "Bearer"},
		{"/implicit", "Bearer"},
		{"/oidc", "Bearer"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp := app.Get(tt.path)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", resp.StatusCode, resp.Body)
			}
			if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, tt.challenge) {
				t.Errorf("WWW-Authenticate %q, want it to start with %q", got, tt.challenge)
			}
		})
	}
}

func TestSchemesAcceptCredentials(t *testing.T) {
	app := start(t)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("johndoe:secret"))
	tests := []struct {
		path   string
		header []string
		want   string
	}{
		{"/api-key", []string{"X-API-Key", "demo-api-key"}, `{"scheme":"apiKey"}`},
		{"/basic", []string{"Authorization", basic}, `{"scheme":"basic"}`},
		{"/bearer", frameworktest.Bearer("some.token.value"), `{"scheme":"bearer"}`},
		{"/password", frameworktest.Bearer("t0ken"), `{"scheme":"password"}`},
		{"/client", frameworktest.Bearer("t0ken"), `{"scheme":"clientCredentials"}`},
		{"/code", frameworktest.Bearer("t0ken"), `{"scheme":"authorizationCode"}`},
		{"/implicit", frameworktest.Bearer("t0ken"), `{"scheme":"implicit"}`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp := app.Get(tt.path, tt.header...)
			if resp.StatusCode != http.StatusOK || string(resp.Body) != tt.want {
				t.Errorf("got %d %s, want 200 %s", resp.StatusCode, resp.Body, tt.want)
			}
		})
	}
	t.Run("wrong API key", func(t *testing.T) {
		if resp := app.Get("/api-key", "X-API-Key", "nope"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", resp.StatusCode)
		}
	})
}

func TestOpenAPISchemes(t *testing.T) {
	app := start(t)
	var doc struct {
		Components struct {
			SecuritySchemes map[string]struct {
				Type   string                     `json:"type"`
				Scheme string                     `json:"scheme"`
				Flows  map[string]json.RawMessage `json:"flows"`
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(app.Get("/openapi.json").Body, &doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, typ, scheme, flow string }{
		{"APIKeyHeader", "apiKey", "", ""},
		{"HTTPBasic", "http", "basic", ""},
		{"HTTPBearer", "http", "bearer", ""},
		{"HTTPDigest", "http", "digest", ""},
		{"OAuth2PasswordBearer", "oauth2", "", "password"},
		{"OAuth2ClientCredentials", "oauth2", "", "clientCredentials"},
		{"OAuth2AuthorizationCodeBearer", "oauth2", "", "authorizationCode"},
		{"OAuth2Implicit", "oauth2", "", "implicit"},
		{"OpenIdConnect", "openIdConnect", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := doc.Components.SecuritySchemes[tt.name]
			if !ok {
				t.Fatalf("no scheme %s", tt.name)
			}
			if s.Type != tt.typ || s.Scheme != tt.scheme {
				t.Errorf("got %s/%s, want %s/%s", s.Type, s.Scheme, tt.typ, tt.scheme)
			}
			if _, ok := s.Flows[tt.flow]; tt.flow != "" && !ok {
				t.Errorf("no %s flow", tt.flow)
			}
		})
	}
}
