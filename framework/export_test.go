package framework

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
