package docsui

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"
)

// chromium returns the binary CHROMIUM_PATH names, or Debian's chromium
// found on PATH; the test is skipped when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("no chromium: install Debian's chromium or set CHROMIUM_PATH")
	}
	return p
}

// TestBrowserLoadsDocPath opens the UI in a headless browser and records
// every request the page makes: the document must come from DocPath, and
// nothing may come from another origin.
func TestBrowserLoadsDocPath(t *testing.T) {
	bin := chromium(t)
	var mu sync.Mutex
	var served []string
	e := gin.New()
	e.Use(func(c *gin.Context) {
		mu.Lock()
		served = append(served, c.Request.URL.Path)
		mu.Unlock()
		c.Next()
	})
	cfg := Config{InstanceName: "test-browser", DocPath: "/api/openapi.json", OAuth2ClientID: "demo-client"}
	if err := Mount(e, "/docs", cfg, []byte(testDoc)); err != nil {
		t.Fatal(err)
	}
	e.GET(cfg.DocPath, ServeDocument([]byte(testDoc)))
	srv := httptest.NewServer(e)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	var requested []string
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(func(ev any) {
		if r, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, r.Request.URL)
			mu.Unlock()
		}
	}))
	defer cancel()

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/docs"),
		chromedp.WaitVisible(".information-container .title")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(".information-container .title"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "Test API") {
		t.Errorf("the page shows title %q, want the document's", title)
	}
	url, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.ui.getConfigs().url`))
	if err != nil || url != cfg.DocPath {
		t.Errorf("Swagger UI's url = %q (%v), want %q", url, err, cfg.DocPath)
	}
	redirect, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.ui.getConfigs().oauth2RedirectUrl`))
	if err != nil || redirect != srv.URL+"/docs/oauth2-redirect.html" {
		t.Errorf("oauth2RedirectUrl = %q (%v), want the page beside index.html", redirect, err)
	}

	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(served, cfg.DocPath) {
		t.Errorf("the page never fetched %s; the server saw %q", cfg.DocPath, served)
	}
	if slices.Contains(served, "/docs/doc.json") {
		t.Errorf("the page fetched doc.json instead of DocPath")
	}
	if !slices.Contains(requested, srv.URL+cfg.DocPath) {
		t.Errorf("the browser reported no request for %s among %q", cfg.DocPath, requested)
	}
	for _, u := range requested {
		if !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("the page requested %s, outside the app", u)
		}
	}
}
