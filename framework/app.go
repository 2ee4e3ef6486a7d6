package framework

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"
)

// App is the compiled application: every route's plan and the OpenAPI
// document. fx builds it while fx.New runs, so every startup error of the
// framework makes fx.New fail.
type App struct {
	cfg     Config
	log     *slog.Logger
	reg     *registry
	plans   []*plan
	raws    []*rawRoute
	openapi []byte

	engine  *gin.Engine
	mounted int // len(engine.Handlers) when the routes were mounted
}

type rawRoute struct {
	rt      *route
	cfg     routeConfig
	handler gin.HandlerFunc
}

var ginHandlerType = reflect.TypeFor[gin.HandlerFunc]()

// rawHandler returns the gin handler of a Raw route, calling its factory
// with fx singletons when it has one.
func (a *App) rawHandler(rt *route) (gin.HandlerFunc, error) {
	switch h := rt.raw.(type) {
	case gin.HandlerFunc:
		return h, nil
	case func(*gin.Context):
		return h, nil
	}
	fv := reflect.ValueOf(rt.raw)
	ft := fv.Type()
	where := fmt.Sprintf("%s %s (registered at %s)", rt.method, rt.path, rt.site)
	if ft.Kind() != reflect.Func || ft.NumOut() != 1 || !ft.Out(0).ConvertibleTo(ginHandlerType) {
		return nil, fmt.Errorf("%w: %s: a raw route takes a gin.HandlerFunc or a function returning one, not %s",
			ErrBadSignature, where, ft)
	}
	args := make([]reflect.Value, ft.NumIn())
	for i := range args {
		v, ok := a.reg.singletons[ft.In(i)]
		if !ok {
			return nil, fmt.Errorf("%w: %s: parameter %d (%s) of the handler factory: nothing in the fx container provides it; provide it with fx.Provide",
				ErrUnresolved, where, i+1, ft.In(i))
		}
		args[i] = v
	}
	out := fv.Call(args)[0].Convert(ginHandlerType)
	if out.IsNil() {
		return nil, fmt.Errorf("%w: %s: the handler factory returned nil", ErrBadSignature, where)
	}
	return out.Interface().(gin.HandlerFunc), nil
}

type appParams struct {
	fx.In
	Config        Config
	Engine        *gin.Engine
	Limits        *routeLimits
	Lifecycle     fx.Lifecycle
	Contributions []*contribution `group:"portcullis.contributions"`
}

// RouteInfo describes a compiled route for logs and tools. [App.Routes]
// and [RouteTable] return them.
type RouteInfo struct {
	Method, Path string
	// Handler is the handler's package-qualified name, or "gin handler" for
	// a raw route.
	Handler string
	// Site is where the route was registered, as file:line.
	Site string
	// Plan lists the handler's parameters and the resolvers behind them, in
	// the order a request first reaches them, marks the calls that go
	// through reflect, and ends with "linear" or "general: " and the
	// reason; it is "raw" for a raw route.
	Plan string
	// Linear reports whether the route runs as a linear plan, the fastest
	// path (docs/design.md, "Fast calls").
	Linear bool
	// General says why a framework route is not linear; it is empty when
	// Linear is set and for raw routes.
	General string
}

// String formats the route on one line: method, path, handler, site and
// plan.
func (r RouteInfo) String() string {
	return fmt.Sprintf("%s %s -> %s (%s): %s", r.Method, r.Path, r.Handler, r.Site, r.Plan)
}

func newApp(p appParams) (*App, error) {
	a := &App{cfg: p.Config, log: loggerOf(p.Config)}
	sort.Slice(p.Contributions, func(i, j int) bool { return p.Contributions[i].seq < p.Contributions[j].seq })
	reg, err := newRegistry(p.Contributions)
	if err != nil {
		return nil, err
	}
	a.reg = reg
	var routes []*route
	for _, c := range p.Contributions {
		routes = append(routes, c.routes...)
	}
	var errs []error
	seen := map[string]*route{}
	for _, rt := range routes {
		key := rt.method + " " + rt.path
		if prev, ok := seen[key]; ok {
			errs = append(errs, fmt.Errorf("%w: %s is registered twice, at %s and at %s; remove one or change its path",
				ErrDuplicateRoute, key, prev.site, rt.site))
			continue
		}
		seen[key] = rt
		var cfg routeConfig
		for _, o := range rt.opts {
			o.applyRoute(&cfg)
		}
		if cfg.bodyLimitOK && cfg.bodyLimit <= 0 {
			errs = append(errs, fmt.Errorf("%w: %s (registered at %s): BodyLimit(%d) must be positive; give the largest body the route accepts, in bytes, or drop the option to keep the app's MaxBodyBytes",
				ErrBadOption, key, rt.site, cfg.bodyLimit))
			continue
		}
		if rt.raw != nil {
			h, err := a.rawHandler(rt)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			a.raws = append(a.raws, &rawRoute{rt: rt, cfg: cfg, handler: h})
			continue
		}
		pl, err := a.compileRoute(rt, cfg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		a.plans = append(a.plans, pl)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.SliceStable(a.plans, func(i, j int) bool { return routeLess(a.plans[i].rt, a.plans[j].rt) })
	sort.SliceStable(a.raws, func(i, j int) bool { return routeLess(a.raws[i].rt, a.raws[j].rt) })
	doc, err := a.buildOpenAPI()
	if err != nil {
		return nil, err
	}
	a.openapi = doc
	if err := a.mount(p.Engine, p.Limits); err != nil {
		return nil, err
	}
	a.engine, a.mounted = p.Engine, len(p.Engine.Handlers)
	p.Lifecycle.Append(fx.StartHook(a.checkMiddleware))
	for _, r := range a.Routes() {
		a.log.Debug("route", "method", r.Method, "path", r.Path, "handler", r.Handler,
			"site", r.Site, "linear", r.Linear, "plan", r.Plan)
	}
	return a, nil
}

func routeLess(a, b *route) bool {
	if a.path != b.path {
		return a.path < b.path
	}
	return a.method < b.method
}

// mount registers the compiled routes and the docs on the engine. gin panics
// on conflicting paths; the panic becomes an error that names the route.
func (a *App) mount(e *gin.Engine, limits *routeLimits) (err error) {
	var cur *route
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s %s (registered at %s) conflicts with another route: %v",
				ErrDuplicateRoute, cur.method, cur.path, cur.site, r)
		}
	}()
	explicit := map[string]bool{}
	for _, pl := range a.plans {
		explicit[pl.rt.method+" "+pl.rt.path] = true
	}
	for _, rr := range a.raws {
		explicit[rr.rt.method+" "+rr.rt.path] = true
	}
	// handle registers h, and the same for HEAD on a GET route, as RFC 9110
	// asks; net/http drops the body of a HEAD answer.
	handle := func(g *gin.RouterGroup, rt *route, cfg *routeConfig, h ...gin.HandlerFunc) {
		cur = rt
		g.Handle(rt.method, rt.path, h...)
		if cfg.bodyLimitOK {
			limits.set(rt.method, rt.path, cfg.bodyLimit)
		}
		if rt.method == http.MethodGet && !explicit[http.MethodHead+" "+rt.path] {
			g.Handle(http.MethodHead, rt.path, h...)
			if cfg.bodyLimitOK {
				limits.set(http.MethodHead, rt.path, cfg.bodyLimit)
			}
		}
	}
	// When the guard is the engine's only middleware, framework routes are
	// mounted on a group without it and apply it themselves: the same
	// checks, one step of gin's chain fewer. Middleware added to the engine
	// before this point keeps the ordinary chain, guard first.
	group, inline := &e.RouterGroup, len(e.Handlers) == 1 && isGuard(e.Handlers[0])
	if inline {
		group = e.Group("")
		group.Handlers = nil
	}
	for _, pl := range a.plans {
		pl.guard, pl.inline = newGuard(a.cfg), inline
		if pl.cfg.bodyLimitOK {
			pl.guard.limit = pl.cfg.bodyLimit
		}
		handle(group, pl.rt, &pl.cfg, pl.ginHandler())
	}
	for _, rr := range a.raws {
		handle(&e.RouterGroup, rr.rt, &rr.cfg, rawMarker, rr.handler)
	}
	return a.mountDocs(e)
}

// checkMiddleware refuses to start an app whose engine got middleware after
// the routes were mounted, as an fx.Invoke that calls e.Use does: gin runs
// middleware only for the routes registered after it, so it would run for
// 404s and not for a single framework route.
func (a *App) checkMiddleware() error {
	late := a.engine.Handlers
	if len(late) <= a.mounted {
		return nil
	}
	names := make([]string, 0, len(late)-a.mounted)
	for _, h := range late[a.mounted:] {
		name, site := funcName(reflect.ValueOf(h))
		names = append(names, name+" ("+site+")")
	}
	return fmt.Errorf("%w: %s; gin runs middleware only for the routes registered after it, so it would not run for the framework's routes; add it before they are mounted, with fx.Decorate(func(e *gin.Engine) *gin.Engine { e.Use(...); return e })",
		ErrLateMiddleware, strings.Join(names, ", "))
}

// OpenAPI returns the generated OpenAPI 3.0.3 document as JSON.
func (a *App) OpenAPI() []byte { return append([]byte(nil), a.openapi...) }

// Routes describes the compiled routes, sorted by path and method.
func (a *App) Routes() []RouteInfo {
	out := make([]RouteInfo, 0, len(a.plans)+len(a.raws))
	for _, pl := range a.plans {
		out = append(out, RouteInfo{Method: pl.rt.method, Path: pl.rt.path, Handler: pl.name, Site: pl.rt.site,
			Plan: pl.describe(), Linear: pl.linear != nil, General: shortNames(pl.general)})
	}
	for _, rr := range a.raws {
		out = append(out, RouteInfo{Method: rr.rt.method, Path: rr.rt.path, Handler: "gin handler", Site: rr.rt.site, Plan: "raw"})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}
