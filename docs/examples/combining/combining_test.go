package combining_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/combining"
	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

func start(t *testing.T) *frameworktest.App {
	t.Helper()
	quiet := framework.Logger(slog.New(slog.DiscardHandler))
	return frameworktest.Start(t, combining.App(passwordflow.TestSecret, "demo-api-key", quiet), passwordflow.FastHashing())
}

func TestCombining(t *testing.T) {
	app := start(t)
	bearer := frameworktest.Bearer(app.Token("johndoe", "secret"))
	key := []string{"X-API-Key", "demo-api-key"}
	badBearer := frameworktest.Bearer("not.a.token")
	tests := []struct {
		name       string
		path       string
		header     []string
		status     int
		body       string
		challenges []string
	}{
		{name: "and: both", path: "/audit", header: append(slices.Clone(bearer), key...), status: http.StatusOK, body: `{"user":"johndoe"}`},
		{name: "and: token only", path: "/audit", header: bearer, status: http.StatusUnauthorized, challenges: []string{"APIKey"}},
		{name: "and: key only", path: "/audit", header: key, status: http.StatusUnauthorized, challenges: []string{"Bearer"}},
		{name: "or: token", path: "/reports", header: bearer, status: http.StatusOK, body: `{"by":"johndoe"}`},
		{name: "or: key", path: "/reports", header: key, status: http.StatusOK, body: `{"by":"api key"}`},
		{name: "or: neither", path: "/reports", status: http.StatusUnauthorized, challenges: []string{"Bearer", "APIKey"}},
		{name: "optional: anonymous", path: "/items", status: http.StatusOK, body: `{"viewer":null,"items":["foo","bar"]}`},
		{name: "optional: token", path: "/items", header: bearer, status: http.StatusOK, body: `{"viewer":"johndoe","items":["foo","bar"]}`},
		{
			name: "optional: invalid token is refused", path: "/items", header: badBearer, status: http.StatusUnauthorized,
			challenges: []string{`Bearer error="invalid_token", error_description="malformed token"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := app.Get(tt.path, tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			if got := resp.Header.Values("WWW-Authenticate"); !slices.Equal(got, tt.challenges) {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.challenges)
			}
			if tt.body != "" && string(resp.Body) != tt.body {
				t.Errorf("body %s, want %s", resp.Body, tt.body)
			}
		})
	}
}

func TestOpenAPISecurity(t *testing.T) {
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
		want       []map[string][]string
	}{
		{name: "and is one requirement", path: "/audit", want: []map[string][]string{{"OAuth2PasswordBearer": {}, "APIKeyHeader": {}}}},
		{name: "or is two requirements", path: "/reports", want: []map[string][]string{{"OAuth2PasswordBearer": {}}, {"APIKeyHeader": {}}}},
		{name: "optional adds the empty requirement", path: "/items", want: []map[string][]string{{"OAuth2PasswordBearer": {}}, {}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := doc.Paths[tt.path]["get"].Security
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("security %v, want %v", got, tt.want)
			}
		})
	}
}
