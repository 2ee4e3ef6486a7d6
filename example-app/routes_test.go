package main

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRouteTable runs `example-app -routes` and checks which routes run as
// linear plans, the fastest path: docs/benchmarks.md and docs/design.md
// count them, and a change to a handler's signature that moves a route off
// that path shows here.
func TestRouteTable(t *testing.T) {
	cmd := exec.Command(binary(t), "-routes")
	cmd.Env = append(cmd.Environ(), "DATABASE_URL="+filepath.Join(t.TempDir(), "unused.db"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("example-app -routes: %v", err)
	}
	var linear, general, raw []string
	for line := range strings.Lines(string(out)) {
		route, plan, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			t.Fatalf("line %q is not route: plan", line)
		}
		route = route[:strings.Index(route, " -> ")]
		switch {
		case plan == "raw":
			raw = append(raw, route)
		case strings.HasSuffix(plan, "; linear"):
			linear = append(linear, route)
		case strings.Contains(plan, "; general: "):
			general = append(general, route)
		default:
			t.Errorf("%s: plan %q says neither linear nor general", route, plan)
		}
	}
	wantLinear := []string{"GET /bearer/whoami", "GET /oauth2/client", "GET /oauth2/code", "GET /oauth2/implicit",
		"GET /oidc/whoami", "GET /status", "GET /users/me", "GET /users/me/items"}
	wantGeneral := []string{"GET /api-key/cookie", "GET /api-key/header", "GET /api-key/query", "GET /basic/whoami",
		"GET /digest/whoami", "GET /items", "GET /reports"}
	wantRaw := []string{"GET /.well-known/jwks.json", "GET /.well-known/openid-configuration", "GET /authorize",
		"POST /authorize", "POST /token"}
	for _, c := range []struct {
		what      string
		got, want []string
	}{{"linear", linear, wantLinear}, {"general", general, wantGeneral}, {"raw", raw, wantRaw}} {
		slices.Sort(c.got)
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s routes:\n got %q\nwant %q", c.what, c.got, c.want)
		}
	}
	if t.Failed() {
		t.Logf("example-app -routes:\n%s", out)
	}
}
