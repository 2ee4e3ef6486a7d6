package framework

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
)

// groupName is the fx value group that Security, Provide, Routes and Override
// contribute to.
const groupName = "portcullis.contributions"

// Module returns the framework as an fx option. It supplies the Config, the
// gin engine, the HTTP server (started and stopped by fx's lifecycle) and the
// compiled *App, and it logs fx's events through log/slog.
//
// Pass Security, Provide and Routes options beside it in fx.New.
func Module(opts ...Option) fx.Option {
	cfg := DefaultConfig()
	for _, o := range opts {
		o.apply(&cfg)
	}
	if os.Getenv(gin.EnvGinMode) == "" {
		// The framework logs its routes itself; gin's debug listing would
		// repeat them. GIN_MODE still wins when it is set.
		gin.SetMode(gin.ReleaseMode)
	}
	return fx.Options(
		// The event logger takes cfg as it is here, not from the container:
		// when another option already failed (a framework.Provide given a
		// non-function, say), fx cannot build anything from the container,
		// and a logger that needed it would bury that error under its own.
		fx.WithLogger(func() fxevent.Logger {
			l := &fxevent.SlogLogger{Logger: loggerOf(cfg)}
			l.UseLogLevel(slog.LevelDebug) // errors still log at Error
			return l
		}),
		fx.Module("portcullis",
			fx.Supply(cfg),
			fx.Provide(newEngine, newServer, newApp),
			fx.Invoke(func(*App, *Server) {}),
		),
	)
}

func loggerOf(c Config) *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.Default()
}

// newEngine builds the gin engine with the framework's recovery, body limit
// and problem+json answers for unknown routes. The engine's guard reads
// the body limits of routes that set their own from the returned
// routeLimits, which the App fills when it mounts its routes.
func newEngine(cfg Config) (*gin.Engine, *routeLimits) {
	log := loggerOf(cfg)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	limits := &routeLimits{}
	g := newGuard(cfg)
	g.routes = limits
	e.Use(g.middleware())
	e.NoRoute(func(c *gin.Context) {
		writeError(c, log, NewHTTPError(http.StatusNotFound, "no route matches "+c.Request.URL.Path))
	})
	e.NoMethod(func(c *gin.Context) {
		writeError(c, log, NewHTTPError(http.StatusMethodNotAllowed,
			"method "+c.Request.Method+" is not allowed on "+c.Request.URL.Path))
	})
	return e, limits
}

// routeLimits holds the body limits of the routes that set their own with
// BodyLimit, by path and method, for the engine's guard: it runs before
// gin's chain reaches the route, on raw routes and on framework routes
// behind other middleware. It is filled while the app is built and only
// read once the app serves, and only for requests with a body.
type routeLimits struct {
	byPath map[string]map[string]int64
}

// set records the limit of a route.
func (r *routeLimits) set(method, path string, n int64) {
	if r.byPath == nil {
		r.byPath = map[string]map[string]int64{}
	}
	if r.byPath[path] == nil {
		r.byPath[path] = map[string]int64{}
	}
	r.byPath[path][method] = n
}

// limit returns the body limit of the route c matched, or def when the
// route has none of its own.
func (r *routeLimits) limit(c *gin.Context, def int64) int64 {
	if r == nil || len(r.byPath) == 0 {
		return def
	}
	if n, ok := r.byPath[c.FullPath()][c.Request.Method]; ok {
		return n
	}
	return def
}

// guard is the framework's one middleware. It refuses request headers larger
// than headerLimit with a 431 problem, refuses bodies larger than limit (at
// once when Content-Length says so, and through http.MaxBytesReader when it
// does not), then runs the rest of the chain and turns a panic into a 500
// problem, logging the cause. One middleware instead of several saves steps
// of gin's chain on every request, and when it is the engine's only
// middleware, framework routes run it inline and skip gin's chain entirely
// (see App.mount).
//
// Raw routes are not refused early for their Content-Length: their handler
// reads the body through the same MaxBytesReader and answers in its own
// format, as the token endpoint does with RFC 6749 errors.
type guard struct {
	limit       int64
	headerLimit int
	log         *slog.Logger
	routes      *routeLimits // the engine's guard: routes with their own limit
}

func newGuard(cfg Config) guard {
	g := guard{limit: cfg.MaxBodyBytes, headerLimit: cfg.MaxHeaderBytes, log: loggerOf(cfg)}
	if serverEnforcesHeaders(cfg) {
		// The Server refuses larger headers before routing (see conn.go),
		// so requests need not be measured here.
		g.headerLimit = 0
	}
	return g
}

// needsAdmit reports whether admit has anything to check for c: a header
// limit the Server does not enforce, or a body. Most requests of a typical
// API are bodiless GETs behind an enforcing Server, and skip the call.
func (g guard) needsAdmit(c *gin.Context) bool {
	return g.headerLimit > 0 || (g.limit > 0 && c.Request.Body != nil && !isNoBody(c.Request.Body))
}

// noBodyTab is the type word of an io.ReadCloser holding http.NoBody.
var noBodyTab = func() unsafe.Pointer {
	var rc io.ReadCloser = http.NoBody
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&rc))[0]
}()

// isNoBody reports whether b is http.NoBody, by its type alone: NoBody's
// type has no fields, so every value of it is NoBody. This is the
// comparison b == http.NoBody without the runtime's general interface
// equality.
func isNoBody(b io.ReadCloser) bool {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&b))[0] == noBodyTab
}

// headerSlack is how far past http.Server.MaxHeaderBytes net/http reads
// before it refuses a request's headers.
const headerSlack = 4096

// serverEnforcesHeaders reports whether the framework's Server holds
// requests to cfg.MaxHeaderBytes itself. It does for any limit above
// net/http's slack; smaller limits are checked by the guard per request.
func serverEnforcesHeaders(cfg Config) bool { return cfg.MaxHeaderBytes > headerSlack }

// serverHeaderBytes is the http.Server.MaxHeaderBytes that makes net/http
// refuse headers just past cfg.MaxHeaderBytes, or its backstop of 1 MiB
// when the guard does the checking.
func serverHeaderBytes(cfg Config) int {
	if serverEnforcesHeaders(cfg) {
		return cfg.MaxHeaderBytes - headerSlack
	}
	return 1 << 20
}

// middleware returns the guard as gin middleware. It is never inlined, so
// that every guard middleware shares one code pointer, which isGuard checks.
//
//go:noinline
func (g guard) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !g.admit(c, isRaw) {
			return
		}
		guarded(c, g.log, (*gin.Context).Next)
	}
}

// guardPC identifies the guard's middleware among an engine's handlers.
var guardPC = reflect.ValueOf(guard{}.middleware()).Pointer()

// isGuard reports whether h is the guard's middleware.
func isGuard(h gin.HandlerFunc) bool { return reflect.ValueOf(h).Pointer() == guardPC }

// admit applies the header and body limits. It answers and returns false
// when the request is refused. raw reports whether the route reads its own
// oversized bodies; it is asked only for a body that is too large.
func (g guard) admit(c *gin.Context, raw func(*gin.Context) bool) bool {
	if g.headerLimit > 0 && headerSize(c.Request) > g.headerLimit {
		writeError(c, g.log, NewHTTPError(http.StatusRequestHeaderFieldsTooLarge,
			fmt.Sprintf("the request headers are larger than %d bytes", g.headerLimit)))
		return false
	}
	if c.Request.Body == nil || isNoBody(c.Request.Body) {
		return true
	}
	limit := g.routes.limit(c, g.limit)
	if limit <= 0 {
		return true
	}
	if c.Request.ContentLength > limit && (raw == nil || !raw(c)) {
		writeError(c, g.log, &http.MaxBytesError{Limit: limit})
		return false
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	return true
}

// headerSize approximates the bytes of the request line and headers as
// they were sent: each field as "Name: value\r\n".
func headerSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// isRaw reports whether the request is for a Raw route. Raw routes are
// mounted behind a tiny marker handler, so the check costs a lookup only on
// the rare path of an oversized body.
func isRaw(c *gin.Context) bool {
	hs := c.HandlerNames()
	for _, h := range hs {
		if strings.HasSuffix(h, "framework.rawMarker") {
			return true
		}
	}
	return false
}

// rawMarker is the first handler of every Raw route; it does nothing.
func rawMarker(*gin.Context) {}

// guarded runs next, turning a panic in it into a 500 problem.
func guarded(c *gin.Context, log *slog.Logger, next func(*gin.Context)) {
	defer func() {
		if r := recover(); r != nil {
			answerPanic(c, log, r)
		}
	}()
	next(c)
}

// answerPanic answers a request whose handler panicked with r.
func answerPanic(c *gin.Context, log *slog.Logger, r any) {
	if r == http.ErrAbortHandler {
		panic(r)
	}
	err := fmt.Errorf("framework: panic: %v", r)
	if c.Writer.Written() {
		log.Error("panic after the response started", "path", c.Request.URL.Path, "error", err)
		c.Abort()
		return
	}
	writeError(c, log, &HTTPError{Status: http.StatusInternalServerError, Err: err})
}

// Server is the app's HTTP server. fx's lifecycle starts it and, on stop,
// shuts it down gracefully: in-flight requests may finish within
// Config.ShutdownTimeout.
type Server struct {
	http *http.Server
	cfg  Config
	log  *slog.Logger

	mu   sync.Mutex
	addr string
	done chan struct{}
}

func newServer(lc fx.Lifecycle, cfg Config, e *gin.Engine) *Server {
	s := &Server{
		cfg: cfg,
		log: loggerOf(cfg),
		http: &http.Server{
			Addr:              cfg.Addr,
			Handler:           e,
			ReadHeaderTimeout: cfg.ReadHeaderTimeout,
			ReadTimeout:       cfg.ReadTimeout,
			IdleTimeout:       cfg.IdleTimeout,
			MaxHeaderBytes:    serverHeaderBytes(cfg),
			ErrorLog:          slog.NewLogLogger(loggerOf(cfg).Handler(), slog.LevelWarn),
		},
	}
	lc.Append(fx.Hook{OnStart: s.start, OnStop: s.stop})
	return s
}

func (s *Server) start(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("framework: listen on %s: %w (set ADDR or framework.Addr to a free address)", s.cfg.Addr, err)
	}
	s.mu.Lock()
	s.addr = ln.Addr().String()
	s.done = make(chan struct{})
	s.mu.Unlock()
	go func() {
		defer close(s.done)
		if err := s.http.Serve(problemListener{Listener: ln, headerLimit: s.cfg.MaxHeaderBytes}); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("server stopped", "error", err)
		}
	}()
	s.log.Info("listening", "url", s.URL())
	if s.cfg.DocsPath != "" {
		s.log.Info("Swagger UI", "url", s.URL()+s.cfg.DocsPath)
	}
	return nil
}

func (s *Server) stop(ctx context.Context) error {
	if s.cfg.ShutdownTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.ShutdownTimeout)
		defer cancel()
	}
	err := s.http.Shutdown(ctx)
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done != nil {
		<-done
	}
	if err != nil {
		return fmt.Errorf("framework: shutdown: %w", err)
	}
	return nil
}

// Addr returns the address the server listens on, with the real port when
// Config.Addr asked for port 0. It is empty before the app starts.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// URL returns the server's base URL, such as "http://127.0.0.1:8080".
func (s *Server) URL() string {
	a := s.Addr()
	if strings.HasPrefix(a, "[::]") || strings.HasPrefix(a, "0.0.0.0") {
		_, port, _ := net.SplitHostPort(a)
		a = "127.0.0.1:" + port
	}
	return "http://" + a
}
