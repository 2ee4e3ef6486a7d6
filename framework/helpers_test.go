package framework_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
	"github.com/portcullis/portcullis/security"
)

// TestKey is the test scheme of the framework's own tests: a key in the
// X-Test-Key header, valid when it is "good".
type TestKey struct {
	SchemeID string
	Optional bool
	key      string
}

func (k TestKey) SchemeName() string { return k.SchemeID }
func (k TestKey) Present() bool      { return k.key != "" }
func (k TestKey) Key() string        { return k.key }
func (k TestKey) OpenAPI() *openapi3.SecurityScheme {
	return &openapi3.SecurityScheme{Type: "apiKey", In: "header", Name: "X-Test-Key"}
}
func (k TestKey) Authenticate(r *http.Request) (security.Scheme, error) {
	v := r.Header.Get("X-Test-Key")
	switch {
	case v == "" && k.Optional:
		return k, nil
	case v == "":
		return nil, security.Unauthorized(security.ErrNoCredentials, "no test key", "TestKey")
	case v != "good":
		return nil, security.Unauthorized(security.ErrInvalidCredentials, "wrong test key", "TestKey")
	}
	k.key = v
	return k, nil
}

// OtherKey is a second scheme type that embeds the first, as users embed
// security.APIKeyHeader to have two keys.
type OtherKey struct{ TestKey }

// start runs an app with the given options beside the framework module.
func start(t *testing.T, opts ...fx.Option) *frameworktest.App {
	t.Helper()
	return frameworktest.Start(t, append([]fx.Option{framework.Module(framework.Title("Test API"))}, opts...)...)
}

// startErr builds an app and returns the error of fx.New.
func startErr(t *testing.T, opts ...fx.Option) error {
	t.Helper()
	app := fx.New(append([]fx.Option{framework.Module(), fx.NopLogger}, opts...)...)
	return app.Err()
}

func mustContain(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
}
