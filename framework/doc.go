// Package framework is Portcullis: a web framework on gin and uber fx in which
// a handler declares what it needs, security included, as typed parameters.
//
// # Handlers
//
// A handler is any function. Each parameter is resolved per request by its
// type, and the results may be (T, error), T, error or nothing; T is written
// as JSON with the route's status.
//
//	func readMe(u *User) *User { return u }
//
// Parameters come from, in this order: *gin.Context, context.Context,
// *http.Request and security.SecurityScopes; the combinators Optional, AnyOf2
// and AnyOf3; Override functions; security schemes registered with Security;
// dependencies registered with Provide; request input (a struct embedding
// Input, or a Binder); and singletons of the fx container.
//
// # Plans
//
// Registering a route compiles the handler into a plan once, while fx.New
// runs: every parameter's resolver is chosen then, and every mistake (a
// parameter nothing provides, a cycle, two providers of one type, a bad
// signature, a duplicate route, an unregistered scheme, an unknown scope)
// makes fx.New fail with a message that names the handler, its file:line, the
// parameter and the fix. A request only runs the plan: each dependency at
// most once, in a fixed order, stopping at the first error.
//
// Most functions are called without reflect.Value.Call: those whose
// parameters are pointers and interfaces and whose result is a pointer or
// a small value, and dependencies that take one scheme of the security
// package. A route whose every call qualifies runs as a linear plan, with
// no per-request cache. [RouteTable] and [App.Routes] say which path each
// route takes and why. These calls rely on Go's register calling
// convention, checked when the package starts; build with
// -tags portcullis_reflect to call everything through reflect instead.
//
// # Security
//
// A parameter whose type is a registered security scheme receives a copy of
// the scheme that carries the request's credential. The same graph that
// resolves parameters produces each operation's OpenAPI security
// requirement: the schemes of one handler combine with AND, AnyOf gives
// alternatives, Optional adds the empty requirement, and the scopes declared
// with Scopes on routes, groups and dependencies are unioned.
//
// # Errors
//
// Every error answer is RFC 9457 problem+json with a detail. Errors with a
// StatusCode method keep their status (4xx details are shown); anything else
// becomes a 500 whose cause only the log sees. MapErrors translates errors
// of other packages, such as a store's "not found", in one place.
//
// # Serving
//
// Module provides the gin engine and an HTTP server that fx's lifecycle
// starts and stops; a stop lets in-flight requests finish within
// Config.ShutdownTimeout. Request headers and bodies are bounded
// (Config.MaxHeaderBytes, Config.MaxBodyBytes); BodyLimit sets a route's or
// a group's own body limit, larger for an upload or smaller for a form. The
// OpenAPI 3.0.3 document is served at /openapi.json and Swagger UI at
// /docs.
package framework
