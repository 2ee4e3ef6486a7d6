package apikeys_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/apikeys"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

func TestAPIKeys(t *testing.T) {
	quiet := framework.Logger(slog.New(slog.DiscardHandler))
	app := frameworktest.Start(t, apikeys.App([]string{"demo-api-key", "second-key"}, quiet))
	tests := []struct {
		name   string
		path   string
		header []string
		status int
		via    string
	}{
		{name: "header", path: "/api-key/header", header: []string{"X-API-Key", "demo-api-key"}, status: http.StatusOK, via: "header"},
		{name: "header second key", path: "/api-key/header", header: []string{"X-API-Key", "second-key"}, status: http.StatusOK, via: "header"},
		{name: "header wrong key", path: "/api-key/header", header: []string{"X-API-Key", "demo-api-kez"}, status: http.StatusUnauthorized},
		{name: "header missing", path: "/api-key/header", status: http.StatusUnauthorized},
		{
			name: "header sent twice", path: "/api-key/header",
			header: []string{"X-API-Key", "demo-api-key", "X-API-Key", "other"}, status: http.StatusUnauthorized,
		},
		{name: "key in the query is not a header", path: "/api-key/header?api_key=demo-api-key", status: http.StatusUnauthorized},
		{name: "query", path: "/api-key/query?api_key=demo-api-key", status: http.StatusOK, via: "query"},
		{name: "query wrong key", path: "/api-key/query?api_key=nope", status: http.StatusUnauthorized},
		{name: "query missing", path: "/api-key/query", status: http.StatusUnauthorized},
		{name: "cookie", path: "/api-key/cookie", header: []string{"Cookie", "api_key=demo-api-key"}, status: http.StatusOK, via: "cookie"},
		{name: "cookie wrong key", path: "/api-key/cookie", header: []string{"Cookie", "api_key=nope"}, status: http.StatusUnauthorized},
		{name: "cookie missing", path: "/api-key/cookie", status: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := app.Get(tt.path, tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			if tt.status != http.StatusOK {
				if got := resp.Header.Get("WWW-Authenticate"); got != "APIKey" {
					t.Errorf("WWW-Authenticate %q, want APIKey", got)
				}
				return
			}
			var a apikeys.Answer
			resp.JSON(t, &a)
			if a.Via != tt.via {
				t.Errorf("via %q, want %q", a.Via, tt.via)
			}
		})
	}
}

func TestAPIKeySchemesInOpenAPI(t *testing.T) {
	app := frameworktest.Start(t, apikeys.App([]string{"k"}, framework.Logger(slog.New(slog.DiscardHandler))))
	var doc struct {
		Components struct {
			SecuritySchemes map[string]struct {
				Type string `json:"type"`
				In   string `json:"in"`
				Name string `json:"name"`
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(app.Get("/openapi.json").Body, &doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ scheme, in, name string }{
		{"APIKeyHeader", "header", "X-API-Key"},
		{"APIKeyQuery", "query", "api_key"},
		{"APIKeyCookie", "cookie", "api_key"},
	}
	for _, tt := range tests {
		t.Run(tt.scheme, func(t *testing.T) {
			s := doc.Components.SecuritySchemes[tt.scheme]
			if s.Type != "apiKey" || s.In != tt.in || s.Name != tt.name {
				t.Errorf("got %+v, want apiKey in %s named %s", s, tt.in, tt.name)
			}
		})
	}
}

func TestStoredKeys(t *testing.T) {
	quiet := framework.Logger(slog.New(slog.DiscardHandler))
	store := apikeys.NewKeyStore(map[string]string{"k-123": "ann"})
	app := frameworktest.Start(t, apikeys.StoredApp(store, quiet))
	if resp := app.Get("/api-key/header", "X-API-Key", "k-123"); resp.StatusCode != http.StatusOK {
		t.Fatalf("stored key: %d %s", resp.StatusCode, resp.Body)
	}
	resp := app.Get("/api-key/header", "X-API-Key", "k-124")
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != "APIKey" {
		t.Fatalf("unknown key: %d %s %q", resp.StatusCode, resp.Body, resp.Header.Get("WWW-Authenticate"))
	}
}
