package framework_test

import (
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

// here returns the line it is called from.
func here() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

// site returns where fn is defined, as the framework prints it.
func site(fn any) string {
	f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer())
	file, line := f.FileLine(f.Entry())
	parts := strings.Split(file, "/")
	return fmt.Sprintf("%s:%d", strings.Join(parts[len(parts)-2:], "/"), line)
}

const file = "framework/startup_test.go"

type widget struct{}
type gadget struct{}

func needsWidget(*widget) string                  { return "" }
func needsWidgetValue(widget) string              { return "" }
func widgetFromGadget(*gadget) *widget            { return nil }
func gadgetFromWidget(*widget) *gadget            { return nil }
func twoResults() (string, string)                { return "", "" }
func usesKey(TestKey) string                      { return "" }
func okHandler() string                           { return "" }
func scoped(security.OAuth2PasswordBearer) string { return "" }

func TestStartupErrors(t *testing.T) {
	var line int
	tests := []struct {
		name string
		opts func() []fx.Option
		is   error
		want func() string
	}{
		{
			name: "unresolved parameter",
			opts: func() []fx.Option {
				return []fx.Option{framework.Routes(func(r *framework.Router) {
					r.GET("/w", needsWidget)
					line = here() - 1
				})}
			},
			is: framework.ErrUnresolved,
			want: func() string {
				return fmt.Sprintf("framework: unresolved parameter: handler framework_test.needsWidget (%s) of GET /w (registered at %s:%d), parameter 1 (*framework_test.widget): nothing provides it; register a dependency that returns it with framework.Provide, provide it with fx.Provide, or, for request input, embed framework.Input in it",
					site(needsWidget), file, line)
			},
		},
		{
			name: "did you mean",
			opts: func() []fx.Option {
				return []fx.Option{
					framework.Provide(func() *widget { return &widget{} }),
					framework.Routes(func(r *framework.Router) {
						r.GET("/w", needsWidgetValue)
						line = here() - 1
					})}
			},
			is: framework.ErrUnresolved,
			want: func() string {
				return fmt.Sprintf("framework: unresolved parameter: handler framework_test.needsWidgetValue (%s) of GET /w (registered at %s:%d), parameter 1 (framework_test.widget): nothing provides it; register a dependency that returns it with framework.Provide, provide it with fx.Provide, or, for request input, embed framework.Input in it; did you mean *framework_test.widget?",
					site(needsWidgetValue), file, line)
			},
		},
		{
			name: "cycle",
			opts: func() []fx.Option {
				return []fx.Option{
					framework.Provide(widgetFromGadget),
					framework.Provide(gadgetFromWidget),
					framework.Routes(func(r *framework.Router) {
						r.GET("/w", needsWidget)
						line = here() - 1
					})}
			},
			is: framework.ErrCycle,
			want: func() string {
				return fmt.Sprintf("framework: dependency cycle: dependency framework_test.gadgetFromWidget (%s), reached from GET /w, parameter 1: *framework_test.widget -> *framework_test.gadget -> *framework_test.widget; break the loop by removing one of these parameters",
					site(gadgetFromWidget))
			},
		},
		{
			name: "two providers",
			opts: func() []fx.Option {
				a := framework.Provide(widgetFromGadget)
				line = here() - 1
				return []fx.Option{a, framework.Provide(func() *widget { return nil })}
			},
			is: framework.ErrDuplicateProvider,
			want: func() string {
				return "framework: duplicate provider: *framework_test.widget is provided twice: by framework_test.widgetFromGadget (" +
					site(widgetFromGadget) + "), registered at " + fmt.Sprintf("%s:%d", file, line)
			},
		},
		{
			name: "framework and fx both provide",
			opts: func() []fx.Option {
				return []fx.Option{
					framework.Provide(widgetFromGadget),
					fx.Supply(&widget{}),
					framework.Routes(func(r *framework.Router) { r.GET("/w", needsWidget) }),
				}
			},
			is: framework.ErrDuplicateProvider,
			want: func() string {
				return "*framework_test.widget is provided twice: by framework_test.widgetFromGadget"
			},
		},
		{
			name: "bad handler signature",
			opts: func() []fx.Option {
				return []fx.Option{framework.Routes(func(r *framework.Router) {
					r.GET("/two", twoResults)
					line = here() - 1
				})}
			},
			is: framework.ErrBadSignature,
			want: func() string {
				return fmt.Sprintf("framework: bad signature: handler framework_test.twoResults (%s) of GET /two (registered at %s:%d) returns (string, string); a handler returns (T, error), T, error or nothing",
					site(twoResults), file, line)
			},
		},
		{
			name: "handler not a function",
			opts: func() []fx.Option {
				return []fx.Option{framework.Routes(func(r *framework.Router) {
					r.GET("/n", 42)
					line = here() - 1
				})}
			},
			is: framework.ErrBadSignature,
			want: func() string {
				return fmt.Sprintf("framework: bad signature: GET /n (registered at %s:%d): the handler is a int, not a function; pass a function such as func(*User) (*Item, error)", file, line)
			},
		},
		{
			name: "duplicate route",
			opts: func() []fx.Option {
				var first int
				return []fx.Option{framework.Routes(func(r *framework.Router) {
					r.GET("/d", okHandler)
					first = here() - 1
					r.GET("/d", okHandler)
					line = here() - 1
					line = line*10000 + first
				})}
			},
			is: framework.ErrDuplicateRoute,
			want: func() string {
				return fmt.Sprintf("framework: duplicate route: GET /d is registered twice, at %s:%d and at %s:%d; remove one or change its path",
					file, line%10000, file, line/10000)
			},
		},
		{
			name: "unregistered scheme",
			opts: func() []fx.Option {
				return []fx.Option{framework.Routes(func(r *framework.Router) {
					r.GET("/k", usesKey)
					line = here() - 1
				})}
			},
			is: framework.ErrScheme,
			want: func() string {
				return fmt.Sprintf("framework: security scheme: handler framework_test.usesKey (%s) of GET /k (registered at %s:%d), parameter 1 (framework_test.TestKey): the scheme is not registered; register it with framework.Security(framework_test.TestKey{...})",
					site(usesKey), file, line)
			},
		},
		{
			name: "scheme name clash",
			opts: func() []fx.Option {
				return []fx.Option{framework.Security(TestKey{SchemeID: "same"}, OtherKey{TestKey{SchemeID: "same"}})}
			},
			is: framework.ErrScheme,
			want: func() string {
				return `share the name "same" in the OpenAPI document; give one a distinct SchemeID`
			},
		},
		{
			name: "unknown scope",
			opts: func() []fx.Option {
				return []fx.Option{
					framework.Security(security.OAuth2PasswordBearer{TokenURL: "/token", Scopes: security.Scopes{"me": "Me."}}),
					framework.Routes(func(r *framework.Router) {
						r.GET("/s", scoped, framework.Scopes("mee"))
						line = here() - 1
					})}
			},
			is: framework.ErrUnknownScope,
			want: func() string {
				return fmt.Sprintf(`framework: unknown scope: GET /s (registered at %s:%d) requires scope "mee", which no registered OAuth2 or OpenID Connect scheme declares (declared: me); add it to the scheme's Scopes`, file, line)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := startErr(t, tc.opts()...)
			if err == nil {
				t.Fatal("fx.New succeeded")
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(err, %v) is false: %v", tc.is, err)
			}
			if want := tc.want(); !strings.Contains(err.Error(), want) {
				t.Errorf("error:\n%s\nwant it to contain:\n%s", err, want)
			}
		})
	}
}

// An option that fails when it is made reaches fx.New's error alone, with
// the framework's own logger in place: the event logger needs nothing
// from the container, which fx does not build after such a failure.
func TestOptionErrorIsTheWholeError(t *testing.T) {
	p := framework.Provide(42)
	line := here() - 1
	err := fx.New(framework.Module(framework.Logger(slog.New(slog.DiscardHandler))), p).Err()
	want := fmt.Sprintf("framework: bad signature: framework.Provide at %s:%d: got int, want a function such as func(...) (*User, error)", file, line)
	if err == nil || err.Error() != want {
		t.Fatalf("fx.New:\n%v\nwant exactly:\n%s", err, want)
	}
}

func TestIncompleteSchemesFailAtStartup(t *testing.T) {
	tests := []struct {
		name   string
		scheme security.Scheme
		want   string
	}{
		{"API key without a name", security.APIKeyHeader{}, "security.APIKeyHeader registered at framework/startup_test.go"},
		{"password flow without a token URL", security.OAuth2PasswordBearer{}, "security.OAuth2PasswordBearer registered at framework/startup_test.go"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := startErr(t, framework.Security(tc.scheme))
			if err == nil || !errors.Is(err, framework.ErrScheme) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "is incomplete") {
				t.Fatalf("got %v", err)
			}
			t.Log(err)
		})
	}
}
