package framework_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
)

func lateHeader(c *gin.Context) { c.Header("X-Late", "1"); c.Next() }

// Middleware added after the routes were mounted, as an fx.Invoke that
// calls e.Use does, would run for 404s and for no framework route, so the
// app refuses to start and says how to add it instead. Middleware added
// with fx.Decorate starts.
func TestLateMiddlewareStopsStart(t *testing.T) {
	routes := framework.Routes(func(r *framework.Router) { r.GET("/x", func() int { return 1 }) })
	app := fx.New(fx.NopLogger, framework.Module(framework.Addr("127.0.0.1:0"), framework.Logger(slog.New(slog.DiscardHandler))), routes,
		fx.Invoke(func(e *gin.Engine) { e.Use(lateHeader) }))
	if err := app.Err(); err != nil {
		t.Fatalf("fx.New: %v", err)
	}
	err := app.Start(context.Background())
	t.Cleanup(func() { _ = app.Stop(context.Background()) })
	if !errors.Is(err, framework.ErrLateMiddleware) {
		t.Fatalf("Start: %v, want ErrLateMiddleware", err)
	}
	mustContain(t, err.Error(),
		"framework: middleware added after the routes were mounted: framework_test.lateHeader ("+site(lateHeader)+"); gin runs middleware only for the routes registered after it, so it would not run for the framework's routes; add it before they are mounted, with fx.Decorate(func(e *gin.Engine) *gin.Engine { e.Use(...); return e })")

	ok := start(t, routes, fx.Decorate(func(e *gin.Engine) *gin.Engine { e.Use(lateHeader); return e }))
	if r := ok.Get("/x"); r.StatusCode != 200 || r.Header.Get("X-Late") != "1" {
		t.Fatalf("with fx.Decorate: %d, X-Late %q", r.StatusCode, r.Header.Get("X-Late"))
	}
}

// The guard stays first in the engine's chain, so a panic in middleware
// added with fx.Decorate is a 500 problem like a handler's.
func TestPanicInEngineMiddleware(t *testing.T) {
	app := start(t,
		fx.Decorate(func(e *gin.Engine) *gin.Engine {
			e.Use(func(c *gin.Context) {
				if c.Request.URL.Path == "/boom" {
					panic("middleware panic")
				}
				c.Next()
			})
			return e
		}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/boom", func() int { return 1 })
			r.GET("/fine", func() int { return 2 })
		}),
	)
	if r := app.Get("/boom"); r.StatusCode != 500 || r.Header.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(string(r.Body), `"detail":`) {
		t.Fatalf("GET /boom: %d %q %s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	if r := app.Get("/fine"); r.StatusCode != 200 || string(r.Body) != "2" {
		t.Fatalf("GET /fine after the panic: %d %s", r.StatusCode, r.Body)
	}
}
