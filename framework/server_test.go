package framework_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
)

func TestGracefulShutdownDrainsInFlight(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	var srv *framework.Server
	app := fx.New(
		fx.NopLogger,
		framework.Module(framework.Addr("127.0.0.1:0"), framework.ShutdownTimeout(time.Minute)),
		framework.Routes(func(r *framework.Router) {
			r.GET("/slow", func() string {
				close(entered)
				<-release
				return "done"
			})
			r.GET("/probe", func() string { return "up" })
		}),
		fx.Populate(&srv),
	)
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get(srv.URL() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- result{status: resp.StatusCode, body: string(b)}
	}()
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- app.Stop(context.Background()) }()
	// The server stops accepting new connections while the request runs.
	for i := 0; ; i++ {
		resp, err := http.Get(srv.URL() + "/probe")
		if err != nil {
			break
		}
		resp.Body.Close()
		if i > 1000 {
			t.Fatal("the server kept accepting connections during shutdown")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-stopped:
		t.Fatalf("stop returned (%v) before the in-flight request finished", err)
	default:
	}
	close(release)
	r := <-got
	if r.err != nil || r.status != 200 || r.body != `"done"` {
		t.Fatalf("in-flight request: %+v", r)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("stop: %v", err)
	}
}

func TestServerLimits(t *testing.T) {
	app := start(t, framework.Routes(func(r *framework.Router) {
		r.GET("/x", func() string { return "ok" })
		r.POST("/post", func() string { return "ok" })
		r.Raw("POST", "/raw", func(c *gin.Context) {
			if _, err := io.ReadAll(c.Request.Body); err != nil {
				c.JSON(http.StatusRequestEntityTooLarge, gin.H{"error": "invalid_request"})
				return
			}
			c.JSON(http.StatusOK, gin.H{"ok": true})
		})
	}))
	t.Run("oversized header is a 431 problem", func(t *testing.T) {
		for _, size := range []int{64<<10 + 1, 200 << 10} {
			resp := app.Get("/x", "X-Big", strings.Repeat("a", size))
			if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d bytes: status %d %q, want a 431 problem", size, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		}
		if resp := app.Get("/x", "X-Big", strings.Repeat("a", 60<<10)); resp.StatusCode != http.StatusOK {
			t.Fatalf("60 KiB of headers: %d, want 200", resp.StatusCode)
		}
	})
	t.Run("HEAD is answered on GET routes", func(t *testing.T) {
		for _, path := range []string{"/x", "/openapi.json"} {
			resp := app.Do(app.NewRequest(http.MethodHead, path, nil))
			if resp.StatusCode != http.StatusOK || len(resp.Body) != 0 {
				t.Fatalf("HEAD %s: %d %q", path, resp.StatusCode, resp.Body)
			}
		}
	})
	t.Run("body over the limit on a plain route", func(t *testing.T) {
		req := app.NewRequest("POST", "/post", strings.NewReader(strings.Repeat("a", 2<<20)))
		resp := app.Do(req)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("status %d %s, want a 413 problem", resp.StatusCode, resp.Body)
		}
	})
	t.Run("a raw route answers its own oversized body", func(t *testing.T) {
		resp := app.Do(app.NewRequest("POST", "/raw", strings.NewReader(strings.Repeat("a", 2<<20))))
		if resp.StatusCode != http.StatusRequestEntityTooLarge || string(resp.Body) != `{"error":"invalid_request"}` {
			t.Fatalf("status %d %s, want the raw handler's own 413", resp.StatusCode, resp.Body)
		}
	})
}
