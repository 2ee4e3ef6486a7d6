package security

import (
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
)

// Scheme is implemented by every security scheme. The framework recognises a
// handler parameter as a scheme when its type implements Scheme, and resolves
// it from the value registered with framework.Security.
//
// Implementations are small value types: configuration fields plus an
// unexported credential that Authenticate fills in on a copy.
type Scheme interface {
	// SchemeName is the scheme's key in components.securitySchemes. It returns
	// the configured SchemeID, which may be empty: the framework then names
	// the scheme after its Go type.
	SchemeName() string
	// OpenAPI describes the scheme as an OpenAPI 3.0 Security Scheme Object.
	// It returns a new value on every call.
	OpenAPI() *openapi3.SecurityScheme
	// Authenticate reads and checks the credential of r. On success it returns
	// a copy of the scheme that carries the credential. When r carries no
	// credential it returns an *Error wrapping ErrNoCredentials, unless the
	// scheme is in optional mode: then it returns a copy whose Present reports
	// false. A credential that is present but malformed or wrong is always
	// refused.
	Authenticate(r *http.Request) (Scheme, error)
	// Present reports whether the value carries a credential.
	Present() bool
}

// TokenCredential is a scheme whose credential is a bearer token: the OAuth2
// schemes, HTTPBearer and OpenIdConnect. The token package verifies these.
type TokenCredential interface {
	Scheme
	// Token returns the raw token, or "" when none was sent.
	Token() string
}

// Scopes maps OAuth2 scope names to their descriptions, as OpenAPI's flow
// objects list them.
type Scopes map[string]string
