package framework_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

type greeting struct {
	Message string `json:"message"`
}

type store struct{ name string }

type user struct{ Name string }

type counter struct{ n atomic.Int64 }

type itemQuery struct {
	framework.Input
	ID    int      `uri:"id" binding:"min=1"`
	Q     string   `form:"q" binding:"omitempty,oneof=a b"`
	Limit *int     `form:"limit"`
	Tags  []string `form:"tag"`
	Trace string   `header:"x-trace"`
	Sess  string   `cookie:"sid"`
}

type itemBody struct {
	framework.Input
	ID    int    `uri:"id"`
	Name  string `json:"name" binding:"required"`
	Price int    `json:"price" binding:"min=0"`
}

func TestResolveParameters(t *testing.T) {
	var cleanups []string
	app := start(t,
		fx.Supply(&store{name: "db"}, &counter{}),
		framework.Provide(func(c *counter) (*user, func()) {
			c.n.Add(1)
			return &user{Name: "ann"}, func() { cleanups = append(cleanups, "user") }
		}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/plain", func() greeting { return greeting{"hi"} })
			r.GET("/all/:id", func(c *gin.Context, ctx context.Context, req *http.Request, s *store, q itemQuery, u *user) map[string]any {
				return map[string]any{
					"gin": c != nil, "ctx": ctx != nil, "path": req.URL.Path, "store": s.name,
					"id": q.ID, "q": q.Q, "limit": q.Limit, "tags": q.Tags, "trace": q.Trace, "sid": q.Sess, "user": u.Name,
				}
			})
			r.POST("/items/:id", func(b itemBody) itemBody { return b }, framework.Status(http.StatusCreated))
			r.DELETE("/items/:id", func() {})
			r.GET("/fail", func() (greeting, error) {
				return greeting{}, framework.NewHTTPError(http.StatusTeapot, "short and stout")
			})
		}),
	)
	t.Run("no parameters", func(t *testing.T) {
		resp := app.Get("/plain")
		if resp.StatusCode != 200 || string(resp.Body) != `{"message":"hi"}` {
			t.Fatalf("got %d %s", resp.StatusCode, resp.Body)
		}
	})
	t.Run("every source", func(t *testing.T) {
		req := app.NewRequest("GET", "/all/7?q=a&limit=5&tag=x&tag=y", nil, "X-Trace", "t1")
		req.AddCookie(&http.Cookie{Name: "sid", Value: "s1"})
		resp := app.Do(req)
		want := `{"ctx":true,"gin":true,"id":7,"limit":5,"path":"/all/7","q":"a","sid":"s1","store":"db","tags":["x","y"],"trace":"t1","user":"ann"}`
		if resp.StatusCode != 200 || string(resp.Body) != want {
			t.Fatalf("got %d %s\nwant %s", resp.StatusCode, resp.Body, want)
		}
		if len(cleanups) != 1 {
			t.Fatalf("cleanup ran %d times, want 1", len(cleanups))
		}
	})
	t.Run("json body and status", func(t *testing.T) {
		req := app.NewRequest("POST", "/items/3", strings.NewReader(`{"name":"pen","price":2}`), "Content-Type", "application/json")
		resp := app.Do(req)
		if resp.StatusCode != 201 || string(resp.Body) != `{"ID":3,"name":"pen","price":2}` {
			t.Fatalf("got %d %s", resp.StatusCode, resp.Body)
		}
	})
	t.Run("no result is 204", func(t *testing.T) {
		resp := app.Do(app.NewRequest("DELETE", "/items/3", nil))
		if resp.StatusCode != 204 || len(resp.Body) != 0 {
			t.Fatalf("got %d %q", resp.StatusCode, resp.Body)
		}
	})
	t.Run("typed error", func(t *testing.T) {
		resp := app.Get("/fail")
		if resp.StatusCode != 418 || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("got %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Body)
		}
		mustContain(t, string(resp.Body), `"detail":"short and stout"`, `"status":418`)
	})
}

func TestValidation(t *testing.T) {
	app := start(t, framework.Routes(func(r *framework.Router) {
		r.GET("/all/:id", func(q itemQuery) int { return q.ID })
		r.POST("/items/:id", func(b itemBody) itemBody { return b })
	}))
	tests := []struct {
		name, method, path, body string
		wantFields               []string
	}{
		{"path below min", "GET", "/all/0", "", []string{`"location":"path","field":"id","message":"must be at least 1"`}},
		{"path not a number", "GET", "/all/x", "", []string{`"location":"path","field":"id","message":"must be an integer of at most 64 bits"`}},
		{"query enum", "GET", "/all/1?q=c", "", []string{`"location":"query","field":"q","message":"must be one of: a b"`}},
		{"query type", "GET", "/all/1?limit=many", "", []string{`"location":"query","field":"limit"`}},
		{"body required", "POST", "/items/1", `{"price":1}`, []string{`"location":"body","field":"name","message":"is required"`}},
		{"body min", "POST", "/items/1", `{"name":"a","price":-1}`, []string{`"location":"body","field":"price","message":"must be at least 0"`}},
		{"body malformed", "POST", "/items/1", `{"name":`, []string{`"location":"body"`}},
		{"body wrong type", "POST", "/items/1", `{"name":5}`, []string{`"location":"body","field":"name"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body *strings.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req := app.NewRequest(tc.method, tc.path, nil)
			if body != nil {
				req = app.NewRequest(tc.method, tc.path, body, "Content-Type", "application/json")
			}
			resp := app.Do(req)
			if resp.StatusCode != 422 {
				t.Fatalf("status %d, want 422: %s", resp.StatusCode, resp.Body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			mustContain(t, string(resp.Body), append(tc.wantFields, `"detail":"the request input is invalid"`)...)
		})
	}
}

func TestDependencyRunsOncePerRequest(t *testing.T) {
	var calls, order []string
	type a struct{}
	type b struct{}
	type c struct{}
	app := start(t,
		framework.Provide(func() *a { calls = append(calls, "a"); return &a{} }),
		framework.Provide(func(*a) *b { calls = append(calls, "b"); return &b{} }),
		framework.Provide(func(*a, *b) *c { calls = append(calls, "c"); return &c{} }),
		framework.Routes(func(r *framework.Router) {
			r.GET("/x", func(*c, *b, *a) string { return "ok" })
			r.GET("/effects", func() string { return "ok" }, framework.Dependencies(
				func() { order = append(order, "first") },
				func(*a) error { order = append(order, "second"); return nil },
			))
			r.GET("/stop", func() string { t.Error("handler ran after a failing dependency"); return "" },
				framework.Dependencies(func() error { return framework.NewHTTPError(409, "stop here") },
					func() { t.Error("second dependency ran after the first failed") }))
		}),
	)
	for i := 0; i < 2; i++ {
		calls = nil
		if resp := app.Get("/x"); resp.StatusCode != 200 {
			t.Fatalf("status %d %s", resp.StatusCode, resp.Body)
		}
		if got := strings.Join(calls, ","); got != "a,b,c" {
			t.Fatalf("calls %s, want a,b,c (each once, in dependency order)", got)
		}
	}
	if resp := app.Get("/effects"); resp.StatusCode != 200 || strings.Join(order, ",") != "first,second" {
		t.Fatalf("effects: %d %v", resp.StatusCode, order)
	}
	if resp := app.Get("/stop"); resp.StatusCode != 409 {
		t.Fatalf("stop: %d %s", resp.StatusCode, resp.Body)
	}
}

func TestCleanupOrderAndErrors(t *testing.T) {
	var log []string
	type outer struct{}
	type inner struct{}
	app := start(t,
		framework.Provide(func() (*inner, func()) {
			log = append(log, "open inner")
			return &inner{}, func() { log = append(log, "close inner") }
		}),
		framework.Provide(func(*inner) (*outer, func(), error) {
			log = append(log, "open outer")
			return &outer{}, func() { log = append(log, "close outer") }, nil
		}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/x", func(*outer) string { log = append(log, "handler"); return "ok" })
		}),
	)
	app.Get("/x")
	want := "open inner,open outer,handler,close outer,close inner"
	if got := strings.Join(log, ","); got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
}

func TestSchemesOptionalAndAnyOf(t *testing.T) {
	app := start(t,
		framework.Security(TestKey{}, OtherKey{TestKey{SchemeID: "Other"}}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/key", func(k TestKey) string { return k.Key() })
			r.GET("/embedded", func(k OtherKey) string { return k.Key() })
			r.GET("/optional", func(k framework.Optional[TestKey]) string {
				if v, ok := k.Get(); ok {
					return "key " + v.Key()
				}
				return "anonymous"
			})
			r.GET("/any", func(x framework.AnyOf2[TestKey, OtherKey]) string {
				if _, ok := x.First(); ok {
					return "first"
				}
				return "second"
			})
		}),
	)
	tests := []struct {
		name, path, key string
		status          int
		body, challenge string
	}{
		{"valid", "/key", "good", 200, `"good"`, ""},
		{"missing", "/key", "", 401, `"detail":"no test key"`, "TestKey"},
		{"wrong", "/key", "bad", 401, `"detail":"wrong test key"`, "TestKey"},
		{"embedded type", "/embedded", "good", 200, `"good"`, ""},
		{"optional absent", "/optional", "", 200, `"anonymous"`, ""},
		{"optional present", "/optional", "good", 200, `"key good"`, ""},
		{"optional invalid is refused", "/optional", "bad", 401, `"detail":"wrong test key"`, "TestKey"},
		{"any first", "/any", "good", 200, `"first"`, ""},
		{"any none", "/any", "", 401, `none of the accepted credentials was sent`, "TestKey"},
		{"any invalid", "/any", "bad", 401, `"detail":"wrong test key"`, "TestKey"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.key != "" {
				hdr = []string{"X-Test-Key", tc.key}
			}
			resp := app.Get(tc.path, hdr...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, resp.Body)
			}
			mustContain(t, string(resp.Body), tc.body)
			if got := strings.Join(resp.Header.Values("WWW-Authenticate"), "|"); tc.challenge != "" && !strings.HasPrefix(got, tc.challenge) {
				t.Errorf("challenge %q, want prefix %q", got, tc.challenge)
			}
		})
	}
	t.Run("any none sends every challenge", func(t *testing.T) {
		resp := app.Get("/any")
		if got := resp.Header.Values("WWW-Authenticate"); len(got) != 2 {
			t.Fatalf("challenges %q, want one per alternative", got)
		}
	})
}

func TestSecurityScopesUnion(t *testing.T) {
	type scoped struct{ got string }
	app := start(t,
		framework.Security(security.OAuth2PasswordBearer{TokenURL: "/token", Scopes: security.Scopes{"a": "A", "b": "B", "c": "C"}}),
		framework.Provide(func(_ security.OAuth2PasswordBearer, s security.SecurityScopes) *scoped {
			return &scoped{got: s.String()}
		}, framework.Scopes("c")),
		framework.Routes(func(r *framework.Router) {
			g := r.Group("/g", framework.Scopes("b"))
			g.GET("/x", func(s *scoped) string { return s.got }, framework.Scopes("a"))
			g.GET("/y", func(s security.SecurityScopes) string { return s.String() })
		}),
	)
	resp := app.Get("/g/x", "Authorization", "Bearer abc")
	if string(resp.Body) != `"a b c"` {
		t.Fatalf("got %d %s, want the union a b c", resp.StatusCode, resp.Body)
	}
	resp = app.Get("/g/y")
	if string(resp.Body) != `"b"` {
		t.Fatalf("got %d %s, want the group's b", resp.StatusCode, resp.Body)
	}
}

func TestErrorsAreProblemJSON(t *testing.T) {
	app := start(t,
		framework.Routes(func(r *framework.Router) {
			r.GET("/panic", func() string { panic("boom") })
			r.GET("/unknown", func() error { return errors.New("secret cause") })
			r.POST("/body/:id", func(b itemBody) int { return len(b.Name) })
		}),
	)
	for _, tc := range []struct {
		name, method, path string
		body               string
		status             int
		detail             string
	}{
		{"panic", "GET", "/panic", "", 500, "the server could not complete the request"},
		{"unknown error", "GET", "/unknown", "", 500, "the server could not complete the request"},
		{"no route", "GET", "/nowhere", "", 404, "no route matches /nowhere"},
		{"wrong method", "PUT", "/panic", "", 405, "method PUT is not allowed on /panic"},
		{"too large", "POST", "/body/1", `{"name":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "the request body is larger than 1048576 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := app.NewRequest(tc.method, tc.path, strings.NewReader(tc.body), "Content-Type", "application/json")
			resp := app.Do(req)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, resp.Body)
			}
			var p map[string]any
			if err := json.Unmarshal(resp.Body, &p); err != nil {
				t.Fatalf("not JSON: %s", resp.Body)
			}
			if p["detail"] != tc.detail || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("got %v", p)
			}
			if strings.Contains(string(resp.Body), "secret cause") || strings.Contains(string(resp.Body), "boom") {
				t.Fatal("the cause leaked to the client")
			}
		})
	}
}

func TestPlainGinBeside(t *testing.T) {
	app := start(t,
		fx.Invoke(func(e *gin.Engine) {
			e.GET("/gin", func(c *gin.Context) { c.String(200, "plain gin") })
		}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/fw", func() string { return "framework" })
		}),
	)
	if resp := app.Get("/gin"); string(resp.Body) != "plain gin" {
		t.Fatalf("got %s", resp.Body)
	}
	if resp := app.Get("/fw"); string(resp.Body) != `"framework"` {
		t.Fatalf("got %s", resp.Body)
	}
}

func TestOverride(t *testing.T) {
	app := start(t,
		framework.Security(TestKey{}),
		framework.Provide(func(k TestKey) *user { return &user{Name: "from key " + k.Key()} }),
		framework.Override(func() *user { return &user{Name: "stub"} }),
		framework.Routes(func(r *framework.Router) {
			r.GET("/me", func(u *user) string { return u.Name })
		}),
	)
	if resp := app.Get("/me"); resp.StatusCode != 200 || string(resp.Body) != `"stub"` {
		t.Fatalf("got %d %s, want the override without credentials", resp.StatusCode, resp.Body)
	}
	app2 := start(t,
		framework.Security(TestKey{}),
		framework.Override(func() TestKey { return TestKey{} }),
		framework.Routes(func(r *framework.Router) {
			r.GET("/key", func(k TestKey) bool { return k.Present() })
		}),
	)
	if resp := app2.Get("/key"); resp.StatusCode != 200 || string(resp.Body) != `false` {
		t.Fatalf("scheme override: got %d %s", resp.StatusCode, resp.Body)
	}
}
