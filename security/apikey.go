package security

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// apiKeyChallenge is the WWW-Authenticate value of an API key refusal. No RFC
// defines an API key auth-scheme; FastAPI sends this one, and clients written
// for it know it.
const apiKeyChallenge = "APIKey"

// Details of API key refusals.
const (
	detailAPIKeyInvalid = "Invalid API key"
)

// StaticKeys returns a Validate function for the API key schemes that accepts
// exactly the given keys. It hashes every key with SHA-256 once, here, and at
// each request compares the hash of the presented key with all of them with
// crypto/subtle, without stopping at the first match, so the time it takes
// does not depend on which key matched or on how much of a key was right.
// With no keys, nothing is accepted.
func StaticKeys(keys ...string) func(ctx context.Context, key string) (bool, error) {
	sums := make([][sha256.Size]byte, len(keys))
	for i, k := range keys {
		sums[i] = sha256.Sum256([]byte(k))
	}
	return func(_ context.Context, key string) (bool, error) {
		got := sha256.Sum256([]byte(key))
		match := 0
		for i := range sums {
			match |= subtle.ConstantTimeCompare(got[:], sums[i][:])
		}
		return match == 1, nil
	}
}

// Where the API key schemes read their key, spelled as OpenAPI's "in" field
// spells it.
const (
	apiKeyInHeader = "header"
	apiKeyInQuery  = "query"
	apiKeyInCookie = "cookie"
)

// apiKeyValue returns the API key r carries under name in the location in
// (one of the apiKeyIn constants), or "" when it carries none; whether it
// carries more than one value there; and the words refusal details use for
// that place. A header or query parameter may repeat, but a cookie gives at
// most one value, the first, as [APIKeyCookie] explains.
func apiKeyValue(r *http.Request, in, name string) (key string, repeated bool) {
	switch in {
	case apiKeyInHeader:
		return firstOf(r.Header.Values(name))
	case apiKeyInQuery:
		if r.URL != nil {
			key, repeated = firstOf(r.URL.Query()[name])
		}
		return key, repeated
	default: // apiKeyInCookie
		if c, err := r.Cookie(name); err == nil {
			key = c.Value
		}
		return key, false
	}
}

// apiKeyWhere names where a key is read, for messages. It is built only
// when a message needs it, not for every request.
func apiKeyWhere(in, name string) string {
	switch in {
	case apiKeyInHeader:
		return "header " + name
	case apiKeyInQuery:
		return "query parameter " + name
	default:
		return "cookie " + name
	}
}

// firstOf returns the first of values, or "" when there is none, and
// whether there is more than one.
func firstOf(values []string) (first string, repeated bool) {
	if len(values) == 0 {
		return "", false
	}
	return values[0], len(values) > 1
}

// readAPIKey is the Authenticate step the three API key schemes share. It
// reads the key named name from location in, checks it and stores it in
// *key, which a refusal or an error leaves alone; in optional mode a missing
// key stores "". A key sent more than once is refused as malformed, since a
// server cannot tell which one the client meant (and a proxy may have
// checked another).
func readAPIKey(key *string, r *http.Request, in, name string, optional bool,
	validate func(context.Context, string) (bool, error)) error {
	k, repeated := apiKeyValue(r, in, name)
	if repeated {
		return Unauthorized(ErrMalformedCredentials, "more than one API key in "+apiKeyWhere(in, name), apiKeyChallenge)
	}
	if k == "" && !optional {
		return Unauthorized(ErrNoCredentials, detailNotAuthenticated+": no API key in "+apiKeyWhere(in, name), apiKeyChallenge)
	}
	if k != "" && validate != nil {
		ok, err := validate(r.Context(), k)
		if err != nil {
			return fmt.Errorf("security: validating the API key in %s: %w", apiKeyWhere(in, name), err)
		}
		if !ok {
			return Unauthorized(ErrInvalidCredentials, detailAPIKeyInvalid, apiKeyChallenge)
		}
	}
	*key = k
	return nil
}

// apiKeyOpenAPI describes an API key scheme.
func apiKeyOpenAPI(in, name, description string) *openapi3.SecurityScheme {
	return &openapi3.SecurityScheme{Type: "apiKey", In: in, Name: name, Description: description}
}

// APIKeyHeader is the OpenAPI apiKey security scheme with the key in a
// request header, such as X-API-Key.
//
// When Validate is nil, APIKeyHeader ONLY EXTRACTS THE KEY AND CHECKS
// NOTHING: any non-empty value is accepted, as FastAPI's APIKeyHeader does.
// Either set Validate (see [StaticKeys]) or check [APIKeyHeader.Key] in a
// dependency that takes the scheme as a parameter.
//
// A missing or empty header is refused with 401 and "WWW-Authenticate:
// APIKey", or passes with Present false in optional mode. A repeated header
// is refused as malformed, and a key that Validate rejects as invalid, in
// optional mode too. An error from Validate is no refusal: Authenticate
// returns it wrapped, and it becomes a 500 whose body does not reveal it.
type APIKeyHeader struct {
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Name is the header that carries the key, such as "X-API-Key".
	Name string
	// Description documents the scheme in OpenAPI.
	Description string
	// Optional lets a request without the key through, with Present
	// reporting false (FastAPI's auto_error=False). A key that is sent and
	// rejected is still refused.
	Optional bool
	// Validate reports whether key is acceptable. It runs for every request
	// that carries a key, with the request's context. An error means the
	// check itself failed (a database is down, say), not that the key is
	// wrong. When nil, every key is accepted: see the type's doc.
	Validate func(ctx context.Context, key string) (bool, error)

	key string
}

// SchemeName returns SchemeID.
func (s APIKeyHeader) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type apiKey, in header.
func (s APIKeyHeader) OpenAPI() *openapi3.SecurityScheme {
	return apiKeyOpenAPI(apiKeyInHeader, s.Name, s.Description)
}

// Authenticate reads the key from the header named Name into a copy of s and
// validates it.
func (s APIKeyHeader) Authenticate(r *http.Request) (Scheme, error) {
	return authenticated(&s, readAPIKey(&s.key, r, apiKeyInHeader, s.Name, s.Optional, s.Validate))
}

// Present reports whether a key was sent.
func (s APIKeyHeader) Present() bool { return s.key != "" }

// Key returns the key as sent, or "" when none was.
func (s APIKeyHeader) Key() string { return s.key }

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s APIKeyHeader) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }

// APIKeyQuery is the OpenAPI apiKey security scheme with the key in a query
// parameter, such as ?api_key=....
//
// When Validate is nil, APIKeyQuery ONLY EXTRACTS THE KEY AND CHECKS
// NOTHING: any non-empty value is accepted, as FastAPI's APIKeyQuery does.
// Either set Validate (see [StaticKeys]) or check [APIKeyQuery.Key] in a
// dependency that takes the scheme as a parameter.
//
// Keys in URLs end up in access logs, browser history and Referer headers;
// prefer [APIKeyHeader] where clients can set headers. Refusals follow
// [APIKeyHeader]; a repeated parameter is refused as malformed.
type APIKeyQuery struct {
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Name is the query parameter that carries the key, such as "api_key".
	Name string
	// Description documents the scheme in OpenAPI.
	Description string
	// Optional lets a request without the key through, with Present
	// reporting false (FastAPI's auto_error=False). A key that is sent and
	// rejected is still refused.
	Optional bool
	// Validate reports whether key is acceptable; see APIKeyHeader.Validate.
	// When nil, every key is accepted: see the type's doc.
	Validate func(ctx context.Context, key string) (bool, error)

	key string
}

// SchemeName returns SchemeID.
func (s APIKeyQuery) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type apiKey, in query.
func (s APIKeyQuery) OpenAPI() *openapi3.SecurityScheme {
	return apiKeyOpenAPI(apiKeyInQuery, s.Name, s.Description)
}

// Authenticate reads the key from the query parameter named Name into a copy
// of s and validates it.
func (s APIKeyQuery) Authenticate(r *http.Request) (Scheme, error) {
	return authenticated(&s, readAPIKey(&s.key, r, apiKeyInQuery, s.Name, s.Optional, s.Validate))
}

// Present reports whether a key was sent.
func (s APIKeyQuery) Present() bool { return s.key != "" }

// Key returns the key as sent, or "" when none was.
func (s APIKeyQuery) Key() string { return s.key }

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s APIKeyQuery) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }

// APIKeyCookie is the OpenAPI apiKey security scheme with the key in a
// cookie.
//
// When Validate is nil, APIKeyCookie ONLY EXTRACTS THE KEY AND CHECKS
// NOTHING: any non-empty value is accepted, as FastAPI's APIKeyCookie does.
// Either set Validate (see [StaticKeys]) or check [APIKeyCookie.Key] in a
// dependency that takes the scheme as a parameter.
//
// A browser may send two cookies of one name (set for different paths);
// unlike a repeated header, that is normal, so the first one, which RFC 6265
// §5.4 makes the one with the longest path, is used. Swagger UI cannot send
// cookies from the browser (swagger-js #1163), so test cookie keys with an
// HTTP client. Refusals otherwise follow [APIKeyHeader].
type APIKeyCookie struct {
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Name is the cookie that carries the key, such as "api_key".
	Name string
	// Description documents the scheme in OpenAPI.
	Description string
	// Optional lets a request without the key through, with Present
	// reporting false (FastAPI's auto_error=False). A key that is sent and
	// rejected is still refused.
	Optional bool
	// Validate reports whether key is acceptable; see APIKeyHeader.Validate.
	// When nil, every key is accepted: see the type's doc.
	Validate func(ctx context.Context, key string) (bool, error)

	key string
}

// SchemeName returns SchemeID.
func (s APIKeyCookie) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type apiKey, in cookie.
func (s APIKeyCookie) OpenAPI() *openapi3.SecurityScheme {
	return apiKeyOpenAPI(apiKeyInCookie, s.Name, s.Description)
}

// Authenticate reads the key from the cookie named Name into a copy of s and
// validates it.
func (s APIKeyCookie) Authenticate(r *http.Request) (Scheme, error) {
	return authenticated(&s, readAPIKey(&s.key, r, apiKeyInCookie, s.Name, s.Optional, s.Validate))
}

// Present reports whether a key was sent.
func (s APIKeyCookie) Present() bool { return s.key != "" }

// Key returns the key as sent, or "" when none was.
func (s APIKeyCookie) Key() string { return s.key }

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s APIKeyCookie) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }
