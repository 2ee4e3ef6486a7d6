package framework

import "testing"

// needFastPaths skips a test of the fast paths themselves in a build tagged
// portcullis_reflect, which has none; the rest of the suite runs there on
// the general path alone.
func needFastPaths(t testing.TB) {
	t.Helper()
	if !fastPathsBuilt {
		t.Skip("built with -tags portcullis_reflect: no fast paths to test")
	}
}

// NeedFastPaths is needFastPaths for the external tests.
var NeedFastPaths = needFastPaths

// SetFastPaths turns the fast calls and linear plans on or off for apps
// built afterwards, and returns a function that restores the setting.
func SetFastPaths(on bool) (restore func()) {
	old := noFastPaths
	noFastPaths = !on
	return func() { noFastPaths = old }
}

// RoutePath tells how a compiled route is served: "linear" or "general",
// and whether the guard runs inline.
func RoutePath(a *App, method, path string) (kind string, inline bool) {
	for _, p := range a.plans {
		if p.rt.method == method && p.rt.path == path {
			kind = "general"
			if p.linear != nil {
				kind = "linear"
			}
			return kind, p.inline
		}
	}
	return "", false
}

// WriteJSON is the framework's JSON answer, for the benchmark that gives
// plain gin the same writer.
var WriteJSON = writeJSON
