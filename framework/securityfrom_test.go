package framework_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

// keyStore stands for a database of API keys that the scheme's check reads.
type keyStore struct{ valid string }

func (k *keyStore) check(_ context.Context, key string) (bool, error) { return key == k.valid, nil }

func TestSecurityFromBuildsSchemesFromServices(t *testing.T) {
	app := start(t,
		fx.Supply(&keyStore{valid: "from-the-store"}),
		framework.SecurityFrom(func(ks *keyStore) security.APIKeyHeader {
			return security.APIKeyHeader{Name: "X-API-Key", Validate: ks.check}
		}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/k", func(k security.APIKeyHeader) string { return k.Key() })
		}),
	)
	if resp := app.Get("/k", "X-API-Key", "from-the-store"); resp.StatusCode != 200 || string(resp.Body) != `"from-the-store"` {
		t.Fatalf("valid key: %d %s", resp.StatusCode, resp.Body)
	}
	if resp := app.Get("/k", "X-API-Key", "other"); resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != "APIKey" {
		t.Fatalf("wrong key: %d %s %q", resp.StatusCode, resp.Body, resp.Header.Get("WWW-Authenticate"))
	}
	if !strings.Contains(string(app.App.OpenAPI()), `"X-API-Key"`) {
		t.Fatal("the constructed scheme is missing from the OpenAPI document")
	}
}

func TestSecurityFromErrors(t *testing.T) {
	route := framework.Routes(func(r *framework.Router) {
		r.GET("/k", func(k security.APIKeyHeader) string { return k.Key() })
	})
	tests := []struct {
		name string
		opt  fx.Option
		is   error
		want string
	}{
		{"missing service", framework.SecurityFrom(func(*keyStore) security.APIKeyHeader { return security.APIKeyHeader{Name: "X"} }),
			framework.ErrUnresolved, "parameter 1 (*framework_test.keyStore): nothing in the fx container provides it; provide it with fx.Provide"},
		{"constructor fails", framework.SecurityFrom(func() (security.APIKeyHeader, error) {
			return security.APIKeyHeader{}, errors.New("no key table")
		}), framework.ErrScheme, "failed: no key table"},
		{"not a scheme", framework.SecurityFrom(func() string { return "" }),
			framework.ErrScheme, "returns (string); a scheme constructor returns a scheme value, optionally with an error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := startErr(t, tc.opt, route)
			if err == nil || !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v\nwant %v containing %q", err, tc.is, tc.want)
			}
		})
	}
}
