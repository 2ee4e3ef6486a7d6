package framework_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

type rtStore struct{}
type rtUser struct{ name string }
type rtAudit struct{}
type rtQuery struct {
	framework.Input
	Q string `form:"q"`
}
type rtAnswer struct {
	Name string `json:"name"`
}
type rtScore struct {
	Score float64 `json:"score"`
}

func rtCurrentUser(ctx context.Context, key security.APIKeyHeader, s *rtStore) (*rtUser, error) {
	return &rtUser{name: key.Key()}, nil
}

func rtOpenAudit(s *rtStore) (*rtAudit, func(), error) { return &rtAudit{}, func() {}, nil }

func rtRoutes(r *framework.Router) {
	r.GET("/me", func(u *rtUser) rtAnswer { return rtAnswer{Name: u.name} })
	r.GET("/search", func(u *rtUser, q rtQuery) rtAnswer { return rtAnswer{Name: q.Q} })
	r.GET("/maybe", func(u framework.Optional[*rtUser]) rtAnswer { return rtAnswer{} })
	r.GET("/audited", func(a *rtAudit) rtAnswer { return rtAnswer{} })
	r.GET("/score", func(u *rtUser) rtScore { return rtScore{Score: 0.5} })
	r.GET("/checked", func(u *rtUser) rtAnswer { return rtAnswer{} },
		framework.Dependencies(func(u *rtUser) error { return nil }))
	r.GET("/scoped", func(s security.SecurityScopes) rtAnswer { return rtAnswer{} })
	r.GET("/keyed", func(k security.APIKeyHeader) *rtAnswer { return &rtAnswer{Name: k.Key()} })
	r.GET("/counted", func(u *rtUser) rtAnswer { return rtAnswer{} },
		framework.Dependencies(func(u *rtUser) (int, error) { return 1, nil }))
	r.Raw("GET", "/raw", func(c *gin.Context) { c.Status(204) })
}

// TestRouteTable pins what RouteTable says of each route: its resolvers,
// the calls that go through reflect, and why a route is not linear. The
// reasons are what a user reads to find out why a route is slower.
func TestRouteTable(t *testing.T) {
	framework.NeedFastPaths(t)
	routes, err := framework.RouteTable(
		framework.Module(),
		fx.Supply(&rtStore{}),
		framework.Security(security.APIKeyHeader{Name: "X-Key", Validate: security.StaticKeys("k")}),
		framework.Provide(rtCurrentUser),
		framework.Provide(rtOpenAudit),
		framework.Routes(rtRoutes),
	)
	if err != nil {
		t.Fatal(err)
	}
	const (
		user  = "resolvers: [0]security.APIKeyHeader (scheme APIKeyHeader) [1]*framework_test.rtUser (framework_test.rtCurrentUser)"
		fn    = "framework_test.rtRoutes.func"
		reflc = "the handler is called through reflect: "
		opt   = "framework.Optional[*framework_test.rtUser]"
	)
	want := map[string]struct {
		plan, general string // plan without its "; linear" or "; general: ..." end
	}{
		"GET /me":      {fn + "1(*framework_test.rtUser) " + user, ""},
		"GET /search":  {fn + "2(*framework_test.rtUser, framework_test.rtQuery) via reflect " + user + " [2]framework_test.rtQuery (input)", "it takes request input framework_test.rtQuery"},
		"GET /maybe":   {fn + "3(" + opt + ") via reflect " + user + " [2]" + opt, "it takes " + opt},
		"GET /audited": {fn + "4(*framework_test.rtAudit) resolvers: [0]*framework_test.rtAudit (framework_test.rtOpenAudit) via reflect", "dependency framework_test.rtOpenAudit is called through reflect: it returns a cleanup function"},
		"GET /score":   {fn + "5(*framework_test.rtUser) via reflect " + user, reflc + "its result framework_test.rtScore is neither a pointer nor a value of at most 7 words without floats or arrays"},
		"GET /checked": {fn + "6(*framework_test.rtUser) " + user, ""},
		"GET /counted": {fn + "10(*framework_test.rtUser) " + user, "route dependency framework_test.rtRoutes.func11 is called through reflect: it returns a value"},
		"GET /scoped":  {fn + "8(security.SecurityScopes) via reflect", reflc + "parameter 1 is security.SecurityScopes, which a fast call takes only right after a scheme, in a dependency"},
		"GET /keyed":   {fn + "9(security.APIKeyHeader) via reflect resolvers: [0]security.APIKeyHeader (scheme APIKeyHeader)", reflc + "parameter 1 (security.APIKeyHeader) is a scheme, which a fast call takes only in a dependency, one scheme of the security package"},
	}
	seen := 0
	for _, r := range routes {
		key := r.Method + " " + r.Path
		if r.Path == "/raw" {
			if r.Plan != "raw" || r.Linear || r.General != "" || r.Handler != "gin handler" {
				t.Errorf("%s: got %+v, want a raw route", key, r)
			}
			seen++
			continue
		}
		w, ok := want[key]
		if !ok {
			continue // HEAD twins and the docs routes
		}
		seen++
		if wantHandler := strings.SplitN(w.plan, "(", 2)[0]; r.Handler != wantHandler {
			t.Errorf("%s: handler %q, want %q", key, r.Handler, wantHandler)
		}
		if !strings.Contains(r.Site, "routetable_test.go:") {
			t.Errorf("%s: site %q does not name this file", key, r.Site)
		}
		end := "; linear"
		if w.general != "" {
			end = "; general: " + w.general
		}
		if r.Linear != (w.general == "") || r.General != w.general || r.Plan != w.plan+end {
			t.Errorf("%s:\n got %s (linear %v, general %q)\nwant %s", key, r.Plan, r.Linear, r.General, w.plan+end)
		}
		if got := r.String(); !strings.HasPrefix(got, key+" -> "+r.Handler+" ("+r.Site+"): ") {
			t.Errorf("%s: String() = %q", key, got)
		}
	}
	if seen != len(want)+1 {
		t.Errorf("saw %d of the %d routes", seen, len(want)+1)
	}
}

// TestRouteTableError: an app that fails to build returns fx's error, not
// a partial table.
func TestRouteTableError(t *testing.T) {
	routes, err := framework.RouteTable(framework.Module(),
		framework.Routes(func(r *framework.Router) {
			r.GET("/me", func(u *rtUser) rtAnswer { return rtAnswer{} })
		}))
	if err == nil || routes != nil {
		t.Fatalf("got %v, %v; want an error and no routes", routes, err)
	}
	if !errors.Is(err, framework.ErrUnresolved) ||
		!strings.HasPrefix(err.Error(), "framework: build the app for its route table: ") {
		t.Errorf("error: %v", err)
	}
}
