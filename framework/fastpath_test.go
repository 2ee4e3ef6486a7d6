package framework_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
	"github.com/portcullis/portcullis/security"
)

type fpStore struct{ name string }

// fpNamer is a singleton of interface type.
type fpNamer interface{ Name(string) string }
type fpPrefix string

func (p fpPrefix) Name(s string) string { return string(p) + s }

type fpUser struct{ name string }
type fpKeyed struct{ key string }
type fpScoped struct{ who string }
type fpItem struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Done  bool   `json:"done"`
	Rank  int8   `json:"rank"`
}

// fastPathApp builds the same app for the equivalence test: routes whose
// every call can take the fast path, and a few that cannot.
func fastPathApp(t *testing.T, calls *[]string) *frameworktest.App {
	return start(t,
		fx.Supply(&fpStore{name: "store"}),
		fx.Provide(func() fpNamer { return fpPrefix("user:") }),
		framework.Security(security.APIKeyHeader{Name: "X-Key", Validate: security.StaticKeys("k1", "k2")}),
		framework.Security(security.OAuth2PasswordBearer{TokenURL: "/token",
			Scopes: security.Scopes{"items:read": "read items", "items:write": "write items"}}),
		framework.Provide(func(ctx context.Context, tok security.OAuth2PasswordBearer, scopes security.SecurityScopes, s *fpStore) (*fpScoped, error) {
			*calls = append(*calls, "scoped")
			if tok.Token() == "bad" {
				return nil, framework.NewHTTPError(http.StatusForbidden, "bad token")
			}
			return &fpScoped{who: tok.Token() + " with " + strings.Join(scopes.Scopes, " ") + " at " + s.name}, nil
		}),
		framework.Provide(func(ctx context.Context, key security.APIKeyHeader, s *fpStore) (*fpKeyed, error) {
			*calls = append(*calls, "keyed")
			if key.Key() == "k2" {
				return nil, framework.NewHTTPError(http.StatusForbidden, "k2 may not")
			}
			return &fpKeyed{key: key.Key() + "@" + s.name}, nil
		}),
		framework.Provide(func(ctx context.Context, s *fpStore, r *http.Request) (*fpUser, error) {
			*calls = append(*calls, "user")
			if ctx != r.Context() {
				return nil, errors.New("the context is not the request's")
			}
			switch r.Header.Get("X-User") {
			case "":
				return nil, framework.NewHTTPError(http.StatusUnauthorized, "who are you")
			case "boom":
				return nil, errors.New("database down")
			}
			return &fpUser{name: r.Header.Get("X-User") + "@" + s.name}, nil
		}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/item", func(u *fpUser, s *fpStore) (fpItem, error) {
				*calls = append(*calls, "handler")
				if u.name == "panic@store" {
					panic("handler panic")
				}
				return fpItem{ID: 1 << 40, Title: u.name + " in " + s.name, Done: true, Rank: -2}, nil
			})
			r.GET("/ctx", func(ctx context.Context, u *fpUser, n fpNamer) (fpItem, error) {
				if ctx.Err() != nil {
					return fpItem{}, ctx.Err()
				}
				return fpItem{Title: n.Name(u.name)}, nil
			})
			r.GET("/keyed", func(ctx context.Context, k *fpKeyed, n fpNamer) fpItem {
				return fpItem{Title: n.Name(k.key)}
			})
			r.GET("/keyed-user", func(k *fpKeyed, u *fpUser) *fpItem { return &fpItem{Title: k.key + "+" + u.name} })
			r.GET("/keyed-optional", func(k framework.Optional[security.APIKeyHeader], s *fpStore) *fpItem {
				v, _ := k.Get()
				return &fpItem{Title: v.Key() + s.name}
			})
			r.GET("/scoped", func(ctx context.Context, sc *fpScoped) fpItem { return fpItem{Title: sc.who} },
				framework.Scopes("items:read"))
			r.GET("/scoped-more", func(sc *fpScoped, k *fpKeyed) fpItem { return fpItem{Title: sc.who + "/" + k.key} },
				framework.Scopes("items:read", "items:write"))
			r.GET("/ptr", func(u *fpUser) *fpItem { return &fpItem{ID: 7, Title: u.name} })
			r.GET("/small", func() int8 { return -1 })
			r.GET("/map", func(u *fpUser) gin.H { return gin.H{"user": u.name, "n": 2} })
			// Handlers that write no JSON answer: a bare call.
			r.DELETE("/item", func(ctx context.Context, u *fpUser, s *fpStore) error {
				*calls = append(*calls, "delete "+u.name)
				if u.name == "locked@store" {
					return framework.NewHTTPError(http.StatusConflict, "locked")
				}
				return nil
			})
			r.PUT("/ack", func(u *fpUser) { *calls = append(*calls, "ack "+u.name) }, framework.Status(http.StatusAccepted))
			r.PUT("/self-ack", func(c *gin.Context) error {
				c.String(http.StatusOK, "acknowledged")
				return nil
			})
			r.GET("/nil-map", func() (map[string]int, error) { return nil, nil })
			r.GET("/created", func(u *fpUser) fpItem { return fpItem{Title: u.name} }, framework.Status(http.StatusCreated))
			r.GET("/self", func(c *gin.Context, u *fpUser) *fpItem {
				c.String(http.StatusTeapot, "answered by the handler")
				return &fpItem{}
			})
			r.GET("/effects", func(u *fpUser) *fpItem { return &fpItem{Title: u.name} },
				framework.Dependencies(func(s *fpStore) error {
					*calls = append(*calls, "effect")
					return nil
				}, func(r *http.Request, u *fpUser) error {
					*calls = append(*calls, "gate "+u.name)
					if r.Header.Get("X-Gate") == "shut" {
						return framework.NewHTTPError(http.StatusForbidden, "the gate is shut")
					}
					return nil
				}, func(s *fpStore) {
					*calls = append(*calls, "noted")
				}))
			r.GET("/effect-value", func(u *fpUser) *fpItem { return &fpItem{Title: u.name} },
				framework.Dependencies(func(u *fpUser) (int, error) {
					*calls = append(*calls, "counted")
					return 1, nil
				}))
			r.GET("/value", func(in struct {
				framework.Input
				N int `form:"n" binding:"required"`
			}) fpItem {
				return fpItem{ID: int64(in.N)}
			})
			r.POST("/post", func(u *fpUser) fpItem { return fpItem{Title: u.name} })
		}),
	)
}

// The fast paths, linear plans and shaped calls, answer exactly as the
// general path does, call for call.
func TestFastPathsMatchGeneralPath(t *testing.T) {
	framework.NeedFastPaths(t)
	var fastCalls, slowCalls []string
	fast := fastPathApp(t, &fastCalls)
	restore := framework.SetFastPaths(false)
	slow := fastPathApp(t, &slowCalls)
	restore()

	for route, want := range map[string]string{
		"GET /item": "linear", "GET /ctx": "linear", "GET /keyed": "linear", "GET /keyed-user": "linear",
		"GET /keyed-optional": "general", "GET /scoped": "linear", "GET /scoped-more": "linear", "GET /ptr": "linear", "GET /small": "linear", "GET /created": "linear",
		"GET /map": "linear", "GET /nil-map": "linear",
		"DELETE /item": "linear", "PUT /ack": "linear", "PUT /self-ack": "linear",
		"GET /self": "linear", "GET /effects": "linear", "GET /effect-value": "general", "GET /value": "general",
	} {
		method, path, _ := strings.Cut(route, " ")
		if kind, inline := framework.RoutePath(fast.App, method, path); kind != want || !inline {
			t.Errorf("%s: served %s (guard inline %v), want %s with the guard inline", route, kind, inline, want)
		}
		if kind, _ := framework.RoutePath(slow.App, method, path); kind != "general" {
			t.Errorf("%s with fast paths off: served %s", route, kind)
		}
	}

	type req struct {
		method, path string
		body         string
		header       []string
	}
	reqs := []req{
		{"GET", "/item", "", []string{"X-User", "ann"}},
		{"GET", "/item", "", nil},
		{"GET", "/item", "", []string{"X-User", "boom"}},
		{"GET", "/item", "", []string{"X-User", "panic"}},
		{"GET", "/item", "", []string{"X-User", "ann", "X-Big", strings.Repeat("h", 70<<10)}},
		{"HEAD", "/item", "", []string{"X-User", "ann"}},
		{"GET", "/ptr", "", []string{"X-User", "bob"}},
		{"GET", "/ctx", "", []string{"X-User", "bob"}},
		{"GET", "/keyed", "", []string{"X-Key", "k1"}},
		{"GET", "/keyed", "", []string{"X-Key", "k2"}},
		{"GET", "/keyed", "", []string{"X-Key", "nope"}},
		{"GET", "/keyed", "", nil},
		{"GET", "/keyed-user", "", []string{"X-Key", "k1", "X-User", "flo"}},
		{"GET", "/keyed-user", "", []string{"X-Key", "k1"}},
		{"GET", "/keyed-optional", "", nil},
		{"GET", "/scoped", "", []string{"Authorization", "Bearer tok1"}},
		{"GET", "/scoped", "", []string{"Authorization", "Bearer bad"}},
		{"GET", "/scoped", "", nil},
		{"GET", "/scoped-more", "", []string{"Authorization", "Bearer tok2", "X-Key", "k1"}},
		{"GET", "/scoped-more", "", []string{"Authorization", "Bearer tok2"}},
		{"GET", "/keyed-optional", "", []string{"X-Key", "k1"}},
		{"GET", "/small", "", nil},
		{"GET", "/map", "", []string{"X-User", "dee"}},
		{"GET", "/map", "", nil},
		{"GET", "/nil-map", "", nil},
		{"DELETE", "/item", "", []string{"X-User", "ed"}},
		{"DELETE", "/item", "", []string{"X-User", "locked"}},
		{"DELETE", "/item", "", nil},
		{"PUT", "/ack", "", []string{"X-User", "fay"}},
		{"PUT", "/ack", "", []string{"X-User", "boom"}},
		{"PUT", "/self-ack", "", nil},
		{"GET", "/created", "", []string{"X-User", "cy"}},
		{"GET", "/self", "", []string{"X-User", "cy"}},
		{"GET", "/effects", "", []string{"X-User", "dee"}},
		{"GET", "/effects", "", []string{"X-User", "dee", "X-Gate", "shut"}},
		{"GET", "/effects", "", nil},
		{"GET", "/effect-value", "", []string{"X-User", "dee"}},
		{"GET", "/value?n=3", "", nil},
		{"GET", "/value", "", nil},
		{"POST", "/post", strings.Repeat("b", 2<<20), []string{"X-User", "eve"}},
	}
	for _, rq := range reqs {
		name := fmt.Sprintf("%s %s %v", rq.method, rq.path, len(rq.header))
		fastCalls, slowCalls = nil, nil
		var got, want *frameworktest.Response
		if rq.body != "" {
			got = fast.Do(fast.NewRequest(rq.method, rq.path, strings.NewReader(rq.body), rq.header...))
			want = slow.Do(slow.NewRequest(rq.method, rq.path, strings.NewReader(rq.body), rq.header...))
		} else {
			got = fast.Do(fast.NewRequest(rq.method, rq.path, nil, rq.header...))
			want = slow.Do(slow.NewRequest(rq.method, rq.path, nil, rq.header...))
		}
		if got.StatusCode != want.StatusCode || string(got.Body) != string(want.Body) ||
			got.Header.Get("Content-Type") != want.Header.Get("Content-Type") ||
			got.Header.Get("WWW-Authenticate") != want.Header.Get("WWW-Authenticate") {
			t.Errorf("%s:\nfast    %d %s %s\ngeneral %d %s %s", name,
				got.StatusCode, got.Header.Get("Content-Type"), got.Body,
				want.StatusCode, want.Header.Get("Content-Type"), want.Body)
		}
		if strings.Join(fastCalls, ",") != strings.Join(slowCalls, ",") {
			t.Errorf("%s: fast calls %v, general calls %v", name, fastCalls, slowCalls)
		}
	}
	// Spot checks that the comparison compares something.
	if r := fast.Get("/item", "X-User", "ann"); r.StatusCode != 200 ||
		string(r.Body) != `{"id":1099511627776,"title":"ann@store in store","done":true,"rank":-2}` {
		t.Fatalf("GET /item: %d %s", r.StatusCode, r.Body)
	}
	if r := fast.Get("/ctx", "X-User", "bob"); r.StatusCode != 200 ||
		string(r.Body) != `{"id":0,"title":"user:bob@store","done":false,"rank":0}` {
		t.Fatalf("GET /ctx: %d %s", r.StatusCode, r.Body)
	}
	if r := fast.Get("/keyed", "X-Key", "k1"); r.StatusCode != 200 ||
		string(r.Body) != `{"id":0,"title":"user:k1@store","done":false,"rank":0}` {
		t.Fatalf("GET /keyed: %d %s", r.StatusCode, r.Body)
	}
	if r := fast.Get("/scoped-more", "Authorization", "Bearer tok2", "X-Key", "k1"); r.StatusCode != 200 ||
		string(r.Body) != `{"id":0,"title":"tok2 with items:read items:write at store/k1@store","done":false,"rank":0}` {
		t.Fatalf("GET /scoped-more: %d %s", r.StatusCode, r.Body)
	}
	for _, c := range []struct {
		method, path, user string
		status             int
		body               string
	}{
		{"DELETE", "/item", "ed", 204, ""},
		{"DELETE", "/item", "locked", 409, `{"type":"about:blank","title":"Conflict","status":409,"detail":"locked"}`},
		{"PUT", "/ack", "fay", 202, ""},
		{"PUT", "/self-ack", "", 200, "acknowledged"},
		{"GET", "/effects", "dee", 200, `{"id":0,"title":"dee@store","done":false,"rank":0}`},
	} {
		if r := fast.Do(fast.NewRequest(c.method, c.path, nil, "X-User", c.user)); r.StatusCode != c.status || string(r.Body) != c.body {
			t.Fatalf("%s %s as %q: %d %s, want %d %s", c.method, c.path, c.user, r.StatusCode, r.Body, c.status, c.body)
		}
	}
	if r := fast.Get("/keyed"); r.StatusCode != 401 || r.Header.Get("WWW-Authenticate") == "" {
		t.Fatalf("GET /keyed without a key: %d %q %s", r.StatusCode, r.Header.Get("WWW-Authenticate"), r.Body)
	}
	if r := fast.Get("/item", "X-User", "panic"); r.StatusCode != 500 || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("a panic in a linear route: %d %s", r.StatusCode, r.Body)
	}
	if r := fast.Get("/self", "X-User", "cy"); r.StatusCode != http.StatusTeapot {
		t.Fatalf("a handler that answers itself: %d %s", r.StatusCode, r.Body)
	}
}

// Middleware on the engine before the routes are mounted keeps gin's chain,
// with the guard first, and still runs for framework routes.
func TestEngineMiddlewareKeepsTheChain(t *testing.T) {
	framework.NeedFastPaths(t)
	var seen []string
	app := start(t,
		fx.Decorate(func(e *gin.Engine) *gin.Engine {
			e.Use(func(c *gin.Context) { seen = append(seen, c.Request.URL.Path); c.Next() })
			return e
		}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/x", func() int { return 1 })
			r.GET("/panic", func() int { panic("boom") })
		}),
	)
	if kind, inline := framework.RoutePath(app.App, "GET", "/x"); kind != "linear" || inline {
		t.Fatalf("served %s, guard inline %v; want linear behind the engine's chain", kind, inline)
	}
	if r := app.Get("/x"); r.StatusCode != 200 || string(r.Body) != "1" {
		t.Fatalf("GET /x: %d %s", r.StatusCode, r.Body)
	}
	if r := app.Get("/panic"); r.StatusCode != 500 || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("GET /panic: %d %s", r.StatusCode, r.Body)
	}
	if strings.Join(seen, ",") != "/x,/panic" {
		t.Fatalf("the engine's middleware saw %v", seen)
	}
}

// http.ErrAbortHandler still aborts the response, on both paths, instead of
// becoming a 500 problem.
func TestAbortHandlerPanicAborts(t *testing.T) {
	app := start(t, framework.Routes(func(r *framework.Router) {
		r.GET("/linear", func() int { panic(http.ErrAbortHandler) })
		r.GET("/general", func(in struct {
			framework.Input
			N int `form:"n"`
		}) int {
			panic(http.ErrAbortHandler)
		})
	}))
	for _, path := range []string{"/linear", "/general"} {
		resp, err := http.Get(app.URL + path)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("%s: got %d, want the connection aborted", path, resp.StatusCode)
		}
	}
}
