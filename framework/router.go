package framework

import (
	"fmt"
	"net/http"
	"reflect"
	"runtime"
	"strings"
)

// Router registers framework routes. Routes receives one; Group makes more
// with a path prefix and options shared by their routes.
type Router struct {
	prefix string
	opts   []RouteOption
	routes *[]*route
}

type route struct {
	method, path string
	handler      any // a function for framework routes
	raw          any // set for Raw routes: a gin.HandlerFunc or a factory of one
	opts         []RouteOption
	site         string // where the route was registered, file:line
}

// Group returns a router whose routes share the prefix and the options.
// Options of the group apply before the route's own: scopes and dependencies
// accumulate, single values such as the status are overridden.
func (r *Router) Group(prefix string, opts ...RouteOption) *Router {
	return &Router{
		prefix: joinPath(r.prefix, prefix),
		opts:   append(append([]RouteOption(nil), r.opts...), opts...),
		routes: r.routes,
	}
}

// GET registers handler for GET requests to path. See Handle.
func (r *Router) GET(path string, handler any, opts ...RouteOption) {
	r.add(http.MethodGet, path, handler, nil, opts, caller(2))
}

// POST registers handler for POST requests to path. See Handle.
func (r *Router) POST(path string, handler any, opts ...RouteOption) {
	r.add(http.MethodPost, path, handler, nil, opts, caller(2))
}

// PUT registers handler for PUT requests to path. See Handle.
func (r *Router) PUT(path string, handler any, opts ...RouteOption) {
	r.add(http.MethodPut, path, handler, nil, opts, caller(2))
}

// PATCH registers handler for PATCH requests to path. See Handle.
func (r *Router) PATCH(path string, handler any, opts ...RouteOption) {
	r.add(http.MethodPatch, path, handler, nil, opts, caller(2))
}

// DELETE registers handler for DELETE requests to path. See Handle.
func (r *Router) DELETE(path string, handler any, opts ...RouteOption) {
	r.add(http.MethodDelete, path, handler, nil, opts, caller(2))
}

// Handle registers handler for method and path. Path uses gin's syntax
// (":id", "*rest"). The handler is any function: each parameter is resolved
// per request by its type, and the results may be (T, error), T, error or
// nothing. Problems with the handler are reported when fx.New runs.
func (r *Router) Handle(method, path string, handler any, opts ...RouteOption) {
	r.add(strings.ToUpper(method), path, handler, nil, opts, caller(2))
}

// Raw registers a plain gin handler, such as the token endpoint of the
// oauth2server package, so that it shares the engine's limits and appears in
// the OpenAPI document. Describe its inputs and result with the Doc option.
// Route dependencies do not apply to raw routes.
//
// h is a gin.HandlerFunc, or a factory: a function whose parameters are fx
// singletons and whose result is a gin.HandlerFunc, called once at startup,
// such as func(s *oauth2server.Server) gin.HandlerFunc { return s.TokenHandler() }.
func (r *Router) Raw(method, path string, h any, opts ...RouteOption) {
	r.add(strings.ToUpper(method), path, nil, h, opts, caller(2))
}

func (r *Router) add(method, path string, handler any, raw any, opts []RouteOption, site string) {
	*r.routes = append(*r.routes, &route{
		method:  method,
		path:    joinPath(r.prefix, path),
		handler: handler,
		raw:     raw,
		opts:    append(append([]RouteOption(nil), r.opts...), opts...),
		site:    site,
	})
}

func joinPath(a, b string) string {
	switch {
	case b == "":
		if a == "" {
			return "/"
		}
		return a
	case a == "" || a == "/":
		if !strings.HasPrefix(b, "/") {
			return "/" + b
		}
		return b
	default:
		return strings.TrimSuffix(a, "/") + "/" + strings.TrimPrefix(b, "/")
	}
}

// caller returns "file:line" of the function skip frames up.
func caller(skip int) string {
	_, file, line, ok := runtime.Caller(skip)
	if !ok {
		return "unknown site"
	}
	return shortFile(file) + ":" + fmt.Sprint(line)
}

// funcName returns a function's package-qualified name and definition site.
func funcName(fn reflect.Value) (name, site string) {
	f := runtime.FuncForPC(fn.Pointer())
	if f == nil {
		return fn.Type().String(), "unknown site"
	}
	file, line := f.FileLine(f.Entry())
	name = f.Name()
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return name, shortFile(file) + ":" + fmt.Sprint(line)
}

// shortFile keeps the last two path elements, enough to find the file.
func shortFile(file string) string {
	parts := strings.Split(file, "/")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return strings.Join(parts, "/")
}
