package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// startPlain starts example-app on a fresh database.
func startPlain(t *testing.T) *server {
	t.Helper()
	srv := start(t, freeAddr(t), "DATABASE_URL="+filepath.Join(t.TempDir(), "fw.db"))
	t.Cleanup(srv.stop)
	return srv
}

// TestFrameworkLimits pins answers that hostile-client probing first found
// wrong in the framework: HEAD on GET routes, the exact header limit, a 431
// problem, and the token endpoint's own format for an oversized body.
func TestFrameworkLimits(t *testing.T) {
	t.Run("HEAD is answered like GET", func(t *testing.T) {
		srv := startPlain(t)
		if r := do(t, noRedirect, http.MethodHead, srv.base+"/openapi.json", nil); r.status != http.StatusOK {
			t.Fatalf("HEAD /openapi.json: %d, want 200", r.status)
		}
		r := do(t, noRedirect, http.MethodHead, srv.base+"/users/me", nil)
		if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") != "Bearer" {
			t.Fatalf("HEAD /users/me: %d %q, want 401 with the Bearer challenge", r.status, r.header.Values("WWW-Authenticate"))
		}
	})
	t.Run("headers just over 64 KiB get 431", func(t *testing.T) {
		srv := startPlain(t)
		r := srv.get(t, "/status", "X-Big", strings.Repeat("a", 64<<10+100))
		if r.status != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("status %d, want 431: %s", r.status, r.body)
		}
	})
	t.Run("431 is a problem", func(t *testing.T) {
		srv := startPlain(t)
		r := srv.get(t, "/status", "X-Big", strings.Repeat("a", 100<<10))
		if r.status != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("status %d, want 431", r.status)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Fatalf("Content-Type %q, want application/problem+json: %s", ct, r.body)
		}
		problemDetail(t, r)
	})
	t.Run("token endpoint 413 is an RFC 6749 error", func(t *testing.T) {
		srv := startPlain(t)
		r := do(t, noRedirect, http.MethodPost, srv.base+"/token",
			strings.NewReader("username=johndoe&password="+strings.Repeat("x", 2<<20)),
			"Content-Type", "application/x-www-form-urlencoded")
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", r.status)
		}
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(r.body, &e); err != nil || e.Error != "invalid_request" {
			t.Fatalf("body %s (%v), want an RFC 6749 invalid_request error", r.body, err)
		}
	})
}
