package framework

import (
	"fmt"
	"log/slog"
	"time"
)

// Config holds the app-wide settings. Module fills it from DefaultConfig and
// the Options it is given, and supplies it to the fx container, where tests
// may decorate it.
type Config struct {
	// Title, Version and Description fill the OpenAPI info object.
	Title       string
	Version     string
	Description string
	// Servers are OpenAPI server URLs. Empty means the document's own origin.
	Servers []string
	// LicenseName and LicenseURL fill the OpenAPI info license.
	LicenseName, LicenseURL string
	// TagDescriptions describe OpenAPI tags by name.
	TagDescriptions map[string]string
	// Addr is the listen address, such as "127.0.0.1:8080". Port 0 picks a free port.
	Addr string
	// ReadHeaderTimeout bounds how long a client may take to send headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included.
	ReadTimeout time.Duration
	// IdleTimeout bounds keep-alive connections between requests.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the size of the request line and headers, as
	// sent; larger ones get a 431 problem. Above 4 KiB the Server enforces
	// it while reading the request, so no handler sees an oversized one;
	// smaller limits are checked per request, with the Server's own bound
	// at 1 MiB.
	MaxHeaderBytes int
	// MaxBodyBytes bounds request bodies; larger ones get 413.
	MaxBodyBytes int64
	// ShutdownTimeout bounds how long a stop waits for in-flight requests.
	ShutdownTimeout time.Duration
	// DocsPath is where Swagger UI is served; empty turns the UI off.
	DocsPath string
	// OpenAPIPath is where the JSON document is served; empty turns it off.
	OpenAPIPath string
	// PersistAuthorization keeps Swagger UI's authorization across reloads.
	PersistAuthorization bool
	// OAuth2ClientID is the client id Swagger UI's Authorize dialog starts
	// with. The client-credentials and authorization-code flows need it.
	OAuth2ClientID string
	// OAuth2UsePKCE makes Swagger UI use PKCE for the authorization-code flow.
	OAuth2UsePKCE bool
	// Logger receives the framework's logs. Nil means slog.Default().
	Logger *slog.Logger
	// MapError, when set, translates every error a handler, a dependency
	// or a scheme returns before it is answered; see MapErrors.
	MapError func(error) error
}

// DefaultConfig returns the settings Module starts from.
func DefaultConfig() Config {
	return Config{
		Title:             "Portcullis API",
		Version:           "0.1.0",
		Addr:              "127.0.0.1:8080",
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		MaxBodyBytes:      1 << 20,
		ShutdownTimeout:   15 * time.Second,
		DocsPath:          "/docs",
		OpenAPIPath:       "/openapi.json",
	}
}

// Option changes the app-wide Config. Options are values with a String
// method, so a printed app says how it was configured.
type Option interface {
	apply(*Config)
	String() string
}

type option struct {
	name string
	fn   func(*Config)
}

func (o option) apply(c *Config)               { o.fn(c) }
func (o option) String() string                { return o.name }
func opt(name string, fn func(*Config)) Option { return option{name, fn} }

// Title sets the OpenAPI title.
func Title(t string) Option { return opt(fmt.Sprintf("Title(%q)", t), func(c *Config) { c.Title = t }) }

// Version sets the OpenAPI info version.
func Version(v string) Option {
	return opt(fmt.Sprintf("Version(%q)", v), func(c *Config) { c.Version = v })
}

// Description sets the OpenAPI info description.
func Description(d string) Option {
	return opt(fmt.Sprintf("Description(%q)", d), func(c *Config) { c.Description = d })
}

// Servers sets the OpenAPI server URLs.
func Servers(urls ...string) Option {
	return opt(fmt.Sprintf("Servers(%q)", urls), func(c *Config) { c.Servers = urls })
}

// License sets the OpenAPI info license.
func License(name, url string) Option {
	return opt(fmt.Sprintf("License(%q, %q)", name, url), func(c *Config) { c.LicenseName, c.LicenseURL = name, url })
}

// TagDescription describes an OpenAPI tag, shown as its heading in Swagger UI.
func TagDescription(tag, description string) Option {
	return opt(fmt.Sprintf("TagDescription(%q, %q)", tag, description), func(c *Config) {
		m := make(map[string]string, len(c.TagDescriptions)+1)
		for k, v := range c.TagDescriptions {
			m[k] = v
		}
		m[tag] = description
		c.TagDescriptions = m
	})
}

// Addr sets the listen address.
func Addr(a string) Option { return opt(fmt.Sprintf("Addr(%q)", a), func(c *Config) { c.Addr = a }) }

// ShutdownTimeout sets how long a stop waits for in-flight requests.
func ShutdownTimeout(d time.Duration) Option {
	return opt(fmt.Sprintf("ShutdownTimeout(%s)", d), func(c *Config) { c.ShutdownTimeout = d })
}

// MaxBodyBytes sets the request body limit.
func MaxBodyBytes(n int64) Option {
	return opt(fmt.Sprintf("MaxBodyBytes(%d)", n), func(c *Config) { c.MaxBodyBytes = n })
}

// MaxHeaderBytes sets the request header limit.
func MaxHeaderBytes(n int) Option {
	return opt(fmt.Sprintf("MaxHeaderBytes(%d)", n), func(c *Config) { c.MaxHeaderBytes = n })
}

// Docs sets where Swagger UI and the JSON document are served. Empty paths
// turn them off.
func Docs(uiPath, documentPath string) Option {
	return opt(fmt.Sprintf("Docs(%q, %q)", uiPath, documentPath), func(c *Config) {
		c.DocsPath, c.OpenAPIPath = uiPath, documentPath
	})
}

// PersistAuthorization keeps Swagger UI's authorization across page reloads.
func PersistAuthorization() Option {
	return opt("PersistAuthorization()", func(c *Config) { c.PersistAuthorization = true })
}

// OAuth2Client sets the client id Swagger UI's Authorize dialog uses, and
// whether it uses PKCE for the authorization-code flow.
func OAuth2Client(clientID string, usePKCE bool) Option {
	return opt(fmt.Sprintf("OAuth2Client(%q, %t)", clientID, usePKCE), func(c *Config) {
		c.OAuth2ClientID, c.OAuth2UsePKCE = clientID, usePKCE
	})
}

// Logger sets the logger of the framework and of fx's events.
func Logger(l *slog.Logger) Option {
	return opt("Logger(...)", func(c *Config) { c.Logger = l })
}

// MapErrors sets fn to translate the errors that handlers, dependencies and
// schemes return before they are answered, FastAPI's exception handlers in
// one function: return an error with a StatusCode method, such as an
// *HTTPError, to choose the answer, and err itself for the errors fn does
// not know. A typical fn turns a store's "not found" into a 404:
//
//	framework.MapErrors(func(err error) error {
//		if errors.Is(err, sql.ErrNoRows) {
//			return framework.NewHTTPError(http.StatusNotFound, "no such item")
//		}
//		return err
//	})
//
// fn sees what a request's calls fail with, invalid input and refused
// credentials included, after Optional and AnyOf have taken theirs; a nil
// result keeps err. It does not see unknown paths or methods, bodies or
// headers refused for their size before the route runs, nor panics. A
// status fn introduces is not in the OpenAPI document unless the route
// lists it with Problems.
func MapErrors(fn func(error) error) Option {
	return opt("MapErrors(...)", func(c *Config) { c.MapError = fn })
}

// WithConfig replaces the whole Config; later options still apply on top.
func WithConfig(cfg Config) Option {
	return opt("WithConfig(...)", func(c *Config) { *c = cfg })
}
