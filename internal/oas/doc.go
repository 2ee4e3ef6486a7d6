// Package oas writes the OpenAPI 3.0.3 document of a portcullis app.
//
// The framework compiles every route into a handler plan, then hands this
// package plain data: one [Operation] per route, the security schemes
// under their names, and the tags. A [Builder] turns them into a
// kin-openapi [openapi3.T], validates it with kin-openapi, and [Marshal]
// encodes it as stable JSON.
//
//	b := oas.NewBuilder(oas.Info{Title: "Items API", Version: "1.0.0"})
//	_ = b.AddScheme("OAuth2PasswordBearer", scheme.OpenAPI())
//	_ = b.AddOperation(oas.Operation{Method: "GET", Path: "/users/:id", ...})
//	doc, err := b.Document()
//	data, err := oas.Marshal(doc)
//
// # Operations
//
// A gin path becomes an OpenAPI path: /users/:id/files/*rest becomes
// /users/{id}/files/{rest}. Every operation gets an operationId (derived
// from the method and path when the framework gives none, such as
// get_users_id_files_rest), a summary (derived from the operationId), at
// least one 2xx response and a description on every response. Adding the
// same method and path twice, two paths that differ only in parameter
// names, or a taken operationId, is an error that names both routes.
//
// # Parameters and bodies
//
// The input struct types are read by tag, as gin binds them:
//
//   - `uri:"id"` is a path parameter, always required. A name the path
//     does not have is an error. Path parameters no input declares are
//     documented as strings.
//   - `form:"q"` is a query parameter, or a field of an
//     application/x-www-form-urlencoded body on POST, PUT and PATCH when
//     Operation.FormBody is set.
//   - `header:"X-Trace"` is a header parameter. Authorization, Accept and
//     Content-Type are never written: OpenAPI 3.0 says to ignore them, and
//     Swagger UI drops an Authorization parameter. Credentials belong to
//     the security schemes.
//   - `cookie:"sid"` is a cookie parameter.
//   - `json:"name"` makes the struct part of the JSON request body. A type
//     with JSON fields is documented as a whole, as encoding/json reads it,
//     less the fields that carry only a uri, form, header or cookie tag.
//     Several such inputs are combined with allOf.
//
// Gin looks inside embedded structs and untagged struct fields for bound
// fields, and so does the builder. Parameters hold strings, numbers,
// booleans, times (following gin's time_format tag) and slices of them;
// anything else is an error naming the type and field.
//
// On any field these tags add to the schema: `binding:"required"`
// (gin's validator) makes it required; `oneof=a b` gives an enum;
// min, max, len, gt, gte, lt and lte give minimum and maximum for numbers,
// minLength and maxLength for strings, minItems and maxItems for slices
// and minProperties and maxProperties for maps; email, url, uri, uuid,
// ipv4, ipv6 and hostname give a format; rules after `dive` apply to the
// elements. `format:"..."` sets the format, `doc:"..."` the description,
// `example:"..."` the example, and `default:"..."` (or gin's
// `form:"q,default=..."`) the default. Examples and defaults are parsed as
// the field's type; one that does not parse is an error.
//
// # Schemas
//
// JSON bodies and results follow encoding/json: json tag names, the "-"
// name skipped, embedded structs promoted, ",string" numbers as strings.
// Named struct types become component schemas referenced with $ref;
// everything else is inline. time.Time is a date-time string, []byte a
// byte string, a map an object with additionalProperties, an array a list
// with fixed length. Types with their own MarshalJSON get an empty schema
// (any value), text marshalers a string, and types that implement
// openapi3gen.SetSchemar the schema they set. Channels, functions, complex
// numbers and maps with keys encoding/json cannot write are errors that
// name the type and field.
//
// A pointer field is nullable. A $ref cannot carry siblings in OpenAPI
// 3.0, so a nullable or described reference is written as
// {"allOf": [{"$ref": ...}], "nullable": true, "type": "object"}. A pointer
// at the top of a body or result is not nullable: a handler that succeeds
// writes a value.
//
// # Required properties
//
// What a client must send and what a server always writes differ, so a
// type is documented in two directions. In a request body a property is
// required only when its binding tag says so. In a response a property is
// required when it is always written: the field is not a pointer and has
// neither omitempty nor omitzero (or its binding tag says required), so
// clients know they can rely on it. A required pointer in a request is not
// nullable. A type used in both directions whose two schemas differ gets
// two components: its Go name for responses and the Go name with "-Input"
// for requests, as pydantic does; Go names cannot contain "-", so the
// suffix never collides. Types used in one direction, or whose two schemas
// are equal, get one component.
//
// # Component names
//
// A component is named after its Go type: User, TokenResponse. When two
// types share a name (store.User and api.User), each is prefixed with the
// last element of its package path (StoreUser, ApiUser), then with more
// elements while they still clash; types still equal after that, such as
// types declared inside two functions of one package, get a numeric suffix
// in the order they were first used. The reserved names Problem and
// ValidationProblem count as taken. Generic instantiations keep their type
// arguments with short package names, made valid: Page[main.Item] becomes
// Page_main.Item. The names depend only on the operations and their order,
// never on map iteration.
//
// # Security
//
// Operation.Security lists alternatives (OR); each maps scheme names to
// scopes that apply together (AND); an empty alternative {} allows
// anonymous access. Nil or empty writes `security: []`, so a global
// default can never apply. Scopes are written exactly as given. Document
// refuses a scheme that was never added, an OAuth2 scope no flow of the
// scheme declares, and scopes on a scheme other than oauth2 or
// openIdConnect, which OpenAPI 3.0 forbids. Only schemes that some
// operation requires are written: an unused one documents nothing, and
// Redocly's no-unused-components rule warns about it. Adding a scheme name twice
// with two different definitions is an error that describes both (FastAPI
// silently keeps one, #4635).
//
// # Errors
//
// Operation.Problems lists error statuses. Each is an
// application/problem+json response referencing the shared Problem schema
// (RFC 9457: type, title, status, detail, instance; title, status and
// detail required), or ValidationProblem for 422, which adds the list
// errors of {location, field, message}. 401 and 403 also document the
// WWW-Authenticate header. The shared schemas are written only when used,
// so no component is unused.
//
// # Why not openapi3gen for schemas
//
// The package uses kin-openapi's model and validation throughout, and its
// openapi3gen.SetSchemar interface, but writes Go-type schemas itself.
// With kin-openapi v0.153.0, openapi3gen has no notion of required
// properties, and its schema customizer cannot set them per direction; it
// hands a field's tags to the items of a slice as well, so a description
// or a rule lands twice; a pointer to a struct loses nullable, because the
// component body is reset and OpenAPI 3.0 ignores siblings of $ref; a
// struct with only unexported fields, such as netip.Addr, yields a $ref to
// a component it never writes; and collision-free names need the whole set
// of types, which a per-type name callback does not see. Its errors also
// do not name the field at fault.
package oas
