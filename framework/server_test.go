package framework_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

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
		if _, err := http.Get(srv.URL() + "/slow"); err != nil {
			break
		}
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
	}))
	t.Run("oversized header is refused", func(t *testing.T) {
		resp := app.Get("/x", "X-Big", strings.Repeat("a", 200<<10))
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("status %d, want 431", resp.StatusCode)
		}
	})
	t.Run("body over the limit on a plain route", func(t *testing.T) {
		req := app.NewRequest("POST", "/post", strings.NewReader(strings.Repeat("a", 2<<20)))
		resp := app.Do(req)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("status %d %s, want a 413 problem", resp.StatusCode, resp.Body)
		}
	})
}
