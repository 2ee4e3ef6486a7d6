package framework

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestIsNoBody(t *testing.T) {
	if !isNoBody(http.NoBody) {
		t.Fatal("http.NoBody not recognised")
	}
	for _, b := range []io.ReadCloser{io.NopCloser(strings.NewReader("")), io.NopCloser(http.NoBody)} {
		if isNoBody(b) {
			t.Fatalf("%T taken for http.NoBody", b)
		}
	}
}

// A body the request does not announce, as a hand-built request may carry,
// is still held to the limit by the inline guard.
func TestGuardLimitsUnannouncedBodies(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	cfg := DefaultConfig()
	cfg.MaxBodyBytes = 10
	g := newGuard(cfg)
	e := gin.New()
	e.POST("/x", func(c *gin.Context) {
		if !g.needsAdmit(c) {
			t.Error("a request with a body skipped the guard")
		}
		if !g.admit(c, nil) {
			return
		}
		if _, err := io.ReadAll(c.Request.Body); err != nil {
			c.Status(http.StatusRequestEntityTooLarge)
			return
		}
		c.Status(http.StatusOK)
	})
	body := struct{ io.Reader }{strings.NewReader(strings.Repeat("b", 100))}
	req, _ := http.NewRequest(http.MethodPost, "/x", body)
	if req.ContentLength != 0 {
		t.Fatalf("ContentLength %d, want the unannounced 0", req.ContentLength)
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", w.Code)
	}
}
