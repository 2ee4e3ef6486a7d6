package framework

import (
	"fmt"
	"reflect"
	"strings"
)

// RouteOption configures a route or, given to Group, all routes of a group.
type RouteOption interface {
	applyRoute(*routeConfig)
	String() string
}

// ProvideOption configures a dependency registered with Provide.
type ProvideOption interface {
	applyProvide(*provider)
	String() string
}

type routeConfig struct {
	status      int
	summary     string
	description string
	tags        []string
	operationID string
	scopes      []string
	deprecated  bool
	deps        []effectDep
	docInputs   []reflect.Type
	docResult   reflect.Type
	problems    []int
	html        bool
	bodyLimit   int64 // set by BodyLimit; 0 means the app's MaxBodyBytes
	bodyLimitOK bool  // BodyLimit was given, so bodyLimit must be positive
}

type effectDep struct {
	fn   any
	site string
}

type routeOpt struct {
	name string
	fn   func(*routeConfig)
}

func (o routeOpt) applyRoute(c *routeConfig) { o.fn(c) }
func (o routeOpt) String() string            { return o.name }

// Status sets the success status of a route (default 200, or 204 for a
// handler without a result).
func Status(code int) RouteOption {
	return routeOpt{fmt.Sprintf("Status(%d)", code), func(c *routeConfig) { c.status = code }}
}

// Summary sets the operation's summary in the OpenAPI document.
func Summary(s string) RouteOption {
	return routeOpt{fmt.Sprintf("Summary(%q)", s), func(c *routeConfig) { c.summary = s }}
}

// Describe sets the operation's description in the OpenAPI document.
func Describe(s string) RouteOption {
	return routeOpt{fmt.Sprintf("Describe(%q)", s), func(c *routeConfig) { c.description = s }}
}

// Tags adds OpenAPI tags to the operation.
func Tags(tags ...string) RouteOption {
	return routeOpt{fmt.Sprintf("Tags(%s)", strings.Join(tags, ", ")), func(c *routeConfig) {
		c.tags = append(c.tags, tags...)
	}}
}

// OperationID sets the operation's id in the OpenAPI document. By default it
// is derived from the method and path.
func OperationID(id string) RouteOption {
	return routeOpt{fmt.Sprintf("OperationID(%q)", id), func(c *routeConfig) { c.operationID = id }}
}

// Deprecated marks the operation deprecated in the OpenAPI document.
func Deprecated() RouteOption {
	return routeOpt{"Deprecated()", func(c *routeConfig) { c.deprecated = true }}
}

// Dependencies adds functions that run before the handler only for their
// effect, such as a check that refuses the request (FastAPI's
// dependencies=[...]). Their parameters are resolved like a handler's; a
// returned error stops the request, and other results are dropped.
func Dependencies(fns ...any) RouteOption {
	site := caller(2)
	return routeOpt{fmt.Sprintf("Dependencies(%d)", len(fns)), func(c *routeConfig) {
		for _, fn := range fns {
			c.deps = append(c.deps, effectDep{fn: fn, site: site})
		}
	}}
}

// Doc describes the inputs and the result of a Raw route for the OpenAPI
// document, since a gin handler's signature says nothing about them. Pass
// zero values: Doc(security.OAuth2PasswordRequestForm{}, TokenResponse{}).
// A nil result documents a response without a body.
func Doc(input, result any) RouteOption {
	return routeOpt{"Doc(...)", func(c *routeConfig) {
		if input != nil {
			c.docInputs = append(c.docInputs, reflect.TypeOf(input))
		}
		if result != nil {
			c.docResult = reflect.TypeOf(result)
		}
	}}
}

// HTML documents that a route, typically a Raw one such as a sign-in page,
// answers browsers with HTML: the success response and each error list
// text/html beside their other media types.
func HTML() RouteOption {
	return routeOpt{"HTML()", func(c *routeConfig) { c.html = true }}
}

// Problems documents extra error statuses of a route, such as 429 for a
// rate-limited endpoint.
func Problems(statuses ...int) RouteOption {
	return routeOpt{fmt.Sprintf("Problems(%v)", statuses), func(c *routeConfig) {
		c.problems = append(c.problems, statuses...)
	}}
}

// BodyLimit sets the request body limit of a route or, given to Group, of
// its routes, in place of the app's MaxBodyBytes: a larger body gets a 413
// problem, at once when Content-Length announces it and otherwise when the
// handler reads past the limit. Raise it for an upload, lower it for an
// endpoint that takes a small form. n must be positive; BodyLimit(0) or a
// negative n stops fx.New.
func BodyLimit(n int64) RouteOption {
	return routeOpt{fmt.Sprintf("BodyLimit(%d)", n), func(c *routeConfig) { c.bodyLimit, c.bodyLimitOK = n, true }}
}

type scopesOpt []string

func (s scopesOpt) applyRoute(c *routeConfig) { c.scopes = append(c.scopes, s...) }
func (s scopesOpt) applyProvide(p *provider)  { p.scopes = append(p.scopes, s...) }
func (s scopesOpt) String() string            { return fmt.Sprintf("Scopes(%s)", strings.Join(s, ", ")) }

// Scopes declares OAuth2 scopes a route requires. On a group it applies to
// every route of the group; given to Provide, it applies to every route that
// reaches the dependency. A route's required scopes are the union along its
// path, and dependencies read them as a security.SecurityScopes parameter.
func Scopes(scopes ...string) interface {
	RouteOption
	ProvideOption
} {
	return scopesOpt(scopes)
}
