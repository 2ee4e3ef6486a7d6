package framework_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

// The benchmarks compare the same work, three small dependencies and a JSON
// answer, written as plain gin handlers and as framework handlers. Both run
// through a gin engine's ServeHTTP with a recorder, so the difference is the
// framework's per-request cost. docs/benchmarks.md records the figures.

type benchA struct{ n int }
type benchB struct{ n int }
type benchC struct{ n int }
type benchKeyed struct{ n int }
type benchResp struct {
	Sum int `json:"sum"`
}

// benchQuery is the request input of the "input" case; plain gin binds
// benchQueryPlain, the same fields without framework.Input.
type benchQuery struct {
	framework.Input
	N int `form:"n" binding:"min=0,max=100"`
}
type benchQueryPlain struct {
	N int `form:"n" binding:"min=0,max=100"`
}

//go:noinline
func depA() *benchA { return &benchA{n: 1} }

//go:noinline
func depB(a *benchA) *benchB { return &benchB{n: a.n + 1} }

//go:noinline
func depC(a *benchA, b *benchB) *benchC { return &benchC{n: a.n + b.n} }

// benchKeys checks the API key of the "secured" case on both sides.
var benchKeys = security.StaticKeys("bench-key")

//go:noinline
func depKey(ctx context.Context, key security.APIKeyHeader) (*benchKeyed, error) {
	return &benchKeyed{n: len(key.Key())}, nil
}

func plainGin() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	keyCheck := func(c *gin.Context) {
		key := c.GetHeader("X-API-Key")
		if ok, err := benchKeys(c.Request.Context(), key); err != nil || !ok {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.JSON(200, benchResp{Sum: len(key)})
	}
	e.GET("/secured", keyCheck)
	e.GET("/keyarg", keyCheck)
	e.GET("/input", func(c *gin.Context) {
		var q benchQueryPlain
		if err := c.ShouldBindQuery(&q); err != nil {
			c.AbortWithStatus(http.StatusUnprocessableEntity)
			return
		}
		c.JSON(200, benchResp{Sum: q.N})
	})
	e.GET("/0", func(c *gin.Context) { c.JSON(200, benchResp{Sum: 0}) })
	e.GET("/1", func(c *gin.Context) { a := depA(); c.JSON(200, benchResp{Sum: a.n}) })
	e.GET("/3", func(c *gin.Context) {
		a := depA()
		b := depB(a)
		cc := depC(a, b)
		c.JSON(200, benchResp{Sum: a.n + b.n + cc.n})
	})
	e.GET("/3ptr", func(c *gin.Context) {
		a := depA()
		b := depB(a)
		cc := depC(a, b)
		c.JSON(200, &benchResp{Sum: a.n + b.n + cc.n})
	})
	return e
}

func frameworkEngine(b *testing.B) *gin.Engine {
	var e *gin.Engine
	app := fx.New(
		fx.NopLogger,
		framework.Module(framework.Docs("", "")),
		framework.Provide(depA),
		framework.Provide(depB),
		framework.Provide(depC),
		framework.Provide(depKey),
		framework.Security(security.APIKeyHeader{Name: "X-API-Key", Validate: benchKeys}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/secured", func(ctx context.Context, a *benchKeyed) benchResp { return benchResp{Sum: a.n} })
			// "keyarg" and "input" take the general path: a handler that
			// takes a scheme itself, and a request input.
			r.GET("/keyarg", func(ctx context.Context, key security.APIKeyHeader) benchResp {
				return benchResp{Sum: len(key.Key())}
			})
			r.GET("/input", func(q benchQuery) benchResp { return benchResp{Sum: q.N} })
			r.GET("/0", func() benchResp { return benchResp{Sum: 0} })
			r.GET("/1", func(a *benchA) benchResp { return benchResp{Sum: a.n} })
			r.GET("/3", func(a *benchA, b *benchB, c *benchC) benchResp { return benchResp{Sum: a.n + b.n + c.n} })
			r.GET("/3ptr", func(a *benchA, b *benchB, c *benchC) *benchResp { return &benchResp{Sum: a.n + b.n + c.n} })
		}),
		fx.Populate(&e),
	)
	if err := app.Err(); err != nil {
		b.Fatal(err)
	}
	return e
}

// benchRequest is the request of a case: GET /<case>, with the API key for
// "secured".
func benchRequest(name string) *http.Request {
	target := "/" + name
	if name == "input" {
		target += "?n=7"
	}
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if name == "secured" || name == "keyarg" {
		req.Header.Set("X-API-Key", "bench-key")
	}
	return req
}

func BenchmarkHandler(b *testing.B) {
	engines := []struct {
		name string
		e    func(*testing.B) *gin.Engine
	}{
		{"gin", func(*testing.B) *gin.Engine { return plainGin() }},
		{"framework", frameworkEngine},
	}
	// "3ptr" returns a pointer, the shape that takes the fast call path for
	// the handler too; "3" returns a struct value and goes through reflect.
	for _, deps := range []string{"0", "1", "3", "3ptr", "secured", "keyarg", "input"} {
		for _, eng := range engines {
			b.Run("deps="+deps+"/"+eng.name, func(b *testing.B) {
				e := eng.e(b)
				req := benchRequest(deps)
				w := httptest.NewRecorder()
				e.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					w.Body.Reset()
					e.ServeHTTP(w, req)
				}
			})
		}
	}
}

// plainGinRecovery is plainGin behind gin's own Recovery middleware, as
// gin.Default installs it: the baseline of the "3rec" case, for context.
func plainGinRecovery() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.Use(gin.Recovery())
	e.GET("/3", func(c *gin.Context) {
		a := depA()
		b := depB(a)
		cc := depC(a, b)
		c.JSON(200, benchResp{Sum: a.n + b.n + cc.n})
	})
	return e
}

// plainGinFrameworkJSON is plainGin's "/3" writing its answer with the
// framework's JSON writer instead of c.JSON: the baseline of the "3json"
// case, which leaves the framework's dispatch as the only difference.
func plainGinFrameworkJSON() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.GET("/3", func(c *gin.Context) {
		a := depA()
		b := depB(a)
		cc := depC(a, b)
		framework.WriteJSON(c, log, 200, benchResp{Sum: a.n + b.n + cc.n})
	})
	return e
}

// BenchmarkRatio serves the same request through plain gin and through the
// framework in alternating batches, so that whatever else the machine is
// doing slows both alike, and reports each side's time per request and
// their ratio. It is the figure docs/benchmarks.md holds against the target.
func BenchmarkRatio(b *testing.B) {
	const batch = 64
	// "3rec" is "3" against gin with its Recovery middleware, which the
	// framework's guard does the work of, and "3json" against gin writing
	// JSON as the framework does; the target's baseline is "3".
	for _, deps := range []string{"0", "1", "3", "3ptr", "secured", "keyarg", "input", "3rec", "3json"} {
		b.Run("deps="+deps, func(b *testing.B) {
			plain, fw := plainGin(), frameworkEngine(b)
			req := benchRequest(deps)
			switch deps {
			case "3rec":
				plain, req = plainGinRecovery(), benchRequest("3")
			case "3json":
				plain, req = plainGinFrameworkJSON(), benchRequest("3")
			}
			w := httptest.NewRecorder()
			for _, e := range []*gin.Engine{plain, fw} {
				w.Body.Reset()
				e.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
			var tGin, tFw time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				for range batch {
					w.Body.Reset()
					plain.ServeHTTP(w, req)
				}
				t1 := time.Now()
				for range batch {
					w.Body.Reset()
					fw.ServeHTTP(w, req)
				}
				tGin += t1.Sub(t0)
				tFw += time.Since(t1)
			}
			n := float64(b.N * batch)
			b.ReportMetric(float64(tGin.Nanoseconds())/n, "gin-ns/req")
			b.ReportMetric(float64(tFw.Nanoseconds())/n, "fw-ns/req")
			b.ReportMetric(float64(tFw)/float64(tGin), "ratio")
		})
	}
}
