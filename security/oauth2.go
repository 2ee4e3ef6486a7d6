package security

import (
	"maps"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// The OAuth2 schemes all read the access token the same way, with
// [BearerToken], and none of them verifies it: they document where a client
// gets its token and carry the token to a dependency, which verifies it with
// the token package's verifier and checks the route's [SecurityScopes].
//
// A missing token is refused with 401 and "WWW-Authenticate: Bearer" (or
// passes with Present false in optional mode); a malformed one with
// `Bearer error="invalid_token", ...`, in optional mode too.

// OAuth2Flow is one OAuth2 flow of an [OAuth2] scheme, as OpenAPI's OAuth
// Flow Object lists it. Which URLs a flow needs depends on its kind:
// AuthorizationURL for implicit and authorization code, TokenURL for
// password, client credentials and authorization code.
type OAuth2Flow struct {
	// AuthorizationURL is the authorization endpoint.
	AuthorizationURL string
	// TokenURL is the token endpoint.
	TokenURL string
	// RefreshURL is the endpoint that refreshes tokens, if any.
	RefreshURL string
	// Scopes are the scopes the flow grants, with their descriptions.
	Scopes Scopes
}

// OAuth2Flows lists the flows of an [OAuth2] scheme. Nil flows are left out.
type OAuth2Flows struct {
	// Password is the resource owner password flow (RFC 6749 §4.3).
	Password *OAuth2Flow
	// ClientCredentials is the client credentials flow (RFC 6749 §4.4).
	ClientCredentials *OAuth2Flow
	// AuthorizationCode is the authorization code flow (RFC 6749 §4.1).
	AuthorizationCode *OAuth2Flow
	// Implicit is the implicit flow (RFC 6749 §4.2), which RFC 9700 tells
	// clients not to use; see [OAuth2Implicit].
	Implicit *OAuth2Flow
}

// openAPIFlow converts a flow for OpenAPI. The scopes map is a fresh copy and
// never nil, since OpenAPI requires the field.
func openAPIFlow(authURL, tokenURL, refreshURL string, scopes Scopes) *openapi3.OAuthFlow {
	m := make(map[string]string, len(scopes))
	maps.Copy(m, scopes)
	return &openapi3.OAuthFlow{
		AuthorizationURL: authURL,
		TokenURL:         tokenURL,
		RefreshURL:       refreshURL,
		Scopes:           m,
	}
}

// oauth2OpenAPI wraps flows in an oauth2 security scheme.
func oauth2OpenAPI(description string, flows *openapi3.OAuthFlows) *openapi3.SecurityScheme {
	return &openapi3.SecurityScheme{Type: "oauth2", Description: description, Flows: flows}
}

// readOAuth2Token is the Authenticate step the OAuth2 schemes share. It
// reads the bearer token of r with [authenticateBearer] and stores it in
// *token, which a refusal leaves alone; in optional mode a missing token
// stores "". The OAuth2 schemes have no realm, so their challenges name none.
func readOAuth2Token(token *string, r *http.Request, optional bool) error {
	t, err := authenticateBearer(r, optional, "")
	if err != nil {
		return err
	}
	*token = t
	return nil
}

// scopeNames returns the sorted, distinct names of the given scope sets.
func scopeNames(sets ...Scopes) []string {
	names := []string{}
	for _, s := range sets {
		for name := range s {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// OAuth2PasswordBearer is the OAuth2 scheme with the resource owner password
// flow (RFC 6749 §4.3): the client posts a username and password to TokenURL
// (see [OAuth2PasswordRequestForm]) and sends the access token it gets as a
// bearer token. This is the flow Swagger UI's Authorize dialog asks a
// username and password for.
//
// The scheme only extracts the token; it does not verify it. A dependency
// that takes the scheme as a parameter verifies [OAuth2PasswordBearer.Token]
// with the token package's verifier.
type OAuth2PasswordBearer struct {
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Description documents the scheme in OpenAPI.
	Description string
	// TokenURL is the token endpoint, such as "/token".
	TokenURL string
	// RefreshURL is the endpoint that refreshes tokens, if any.
	RefreshURL string
	// Scopes are the scopes a token can carry, with their descriptions.
	Scopes Scopes
	// Optional lets a request without a token through, with Present
	// reporting false (FastAPI's auto_error=False). A malformed token is
	// still refused.
	Optional bool

	token string
}

// SchemeName returns SchemeID.
func (s OAuth2PasswordBearer) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type oauth2 with a password flow.
func (s OAuth2PasswordBearer) OpenAPI() *openapi3.SecurityScheme {
	return oauth2OpenAPI(s.Description, &openapi3.OAuthFlows{
		Password: openAPIFlow("", s.TokenURL, s.RefreshURL, s.Scopes),
	})
}

// ScopeNames returns the sorted names of the declared scopes.
func (s OAuth2PasswordBearer) ScopeNames() []string { return scopeNames(s.Scopes) }

// Authenticate extracts the bearer token of r into a copy of s.
func (s OAuth2PasswordBearer) Authenticate(r *http.Request) (Scheme, error) {
	return authenticated(&s, readOAuth2Token(&s.token, r, s.Optional))
}

// Present reports whether a token was sent.
func (s OAuth2PasswordBearer) Present() bool { return s.token != "" }

// Token returns the token as sent, or "" when none was.
func (s OAuth2PasswordBearer) Token() string { return s.token }

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s OAuth2PasswordBearer) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }

// OAuth2ClientCredentials is the OAuth2 scheme with the client credentials
// flow (RFC 6749 §4.4): a client, not a user, posts its client_id and
// client_secret to TokenURL (see [OAuth2ClientCredentialsRequestForm]) and
// sends the access token it gets as a bearer token. Swagger UI needs a client
// id configured to offer this flow.
//
// The scheme only extracts the token; it does not verify it. A dependency
// that takes the scheme as a parameter verifies
// [OAuth2ClientCredentials.Token] with the token package's verifier.
type OAuth2ClientCredentials struct {
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Description documents the scheme in OpenAPI.
	Description string
	// TokenURL is the token endpoint, such as "/token".
	TokenURL string
	// RefreshURL is the endpoint that refreshes tokens, if any.
	RefreshURL string
	// Scopes are the scopes a token can carry, with their descriptions.
	Scopes Scopes
	// Optional lets a request without a token through, with Present
	// reporting false. A malformed token is still refused.
	Optional bool

	token string
}

// SchemeName returns SchemeID.
func (s OAuth2ClientCredentials) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type oauth2 with a clientCredentials flow.
func (s OAuth2ClientCredentials) OpenAPI() *openapi3.SecurityScheme {
	return oauth2OpenAPI(s.Description, &openapi3.OAuthFlows{
		ClientCredentials: openAPIFlow("", s.TokenURL, s.RefreshURL, s.Scopes),
	})
}

// ScopeNames returns the sorted names of the declared scopes.
func (s OAuth2ClientCredentials) ScopeNames() []string { return scopeNames(s.Scopes) }

// Authenticate extracts the bearer token of r into a copy of s.
func (s OAuth2ClientCredentials) Authenticate(r *http.Request) (Scheme, error) {
	return authenticated(&s, readOAuth2Token(&s.token, r, s.Optional))
}

// Present reports whether a token was sent.
func (s OAuth2ClientCredentials) Present() bool { return s.token != "" }

// Token returns the token as sent, or "" when none was.
func (s OAuth2ClientCredentials) Token() string { return s.token }

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s OAuth2ClientCredentials) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }

// OAuth2AuthorizationCodeBearer is the OAuth2 scheme with the authorization
// code flow (RFC 6749 §4.1): the user signs in at AuthorizationURL, the
// client exchanges the code it gets at TokenURL, and sends the access token
// as a bearer token. Public clients such as Swagger UI should use PKCE
// (RFC 7636).
//
// The scheme only extracts the token; it does not verify it. A dependency
// that takes the scheme as a parameter verifies
// [OAuth2AuthorizationCodeBearer.Token] with the token package's verifier.
type OAuth2AuthorizationCodeBearer struct {
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Description documents the scheme in OpenAPI.
	Description string
	// AuthorizationURL is the authorization endpoint.
	AuthorizationURL string
	// TokenURL is the token endpoint.
	TokenURL string
	// RefreshURL is the endpoint that refreshes tokens, if any.
	RefreshURL string
	// Scopes are the scopes a token can carry, with their descriptions.
	Scopes Scopes
	// Optional lets a request without a token through, with Present
	// reporting false. A malformed token is still refused.
	Optional bool

	token string
}

// SchemeName returns SchemeID.
func (s OAuth2AuthorizationCodeBearer) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type oauth2 with an authorizationCode flow.
func (s OAuth2AuthorizationCodeBearer) OpenAPI() *openapi3.SecurityScheme {
	return oauth2OpenAPI(s.Description, &openapi3.OAuthFlows{
		AuthorizationCode: openAPIFlow(s.AuthorizationURL, s.TokenURL, s.RefreshURL, s.Scopes),
	})
}

// ScopeNames returns the sorted names of the declared scopes.
func (s OAuth2AuthorizationCodeBearer) ScopeNames() []string { return scopeNames(s.Scopes) }

// Authenticate extracts the bearer token of r into a copy of s.
func (s OAuth2AuthorizationCodeBearer) Authenticate(r *http.Request) (Scheme, error) {
	return authenticated(&s, readOAuth2Token(&s.token, r, s.Optional))
}

// Present reports whether a token was sent.
func (s OAuth2AuthorizationCodeBearer) Present() bool { return s.token != "" }

// Token returns the token as sent, or "" when none was.
func (s OAuth2AuthorizationCodeBearer) Token() string { return s.token }

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s OAuth2AuthorizationCodeBearer) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }

// OAuth2Implicit is the OAuth2 scheme with the implicit flow (RFC 6749 §4.2):
// the authorization endpoint hands the access token straight to the browser
// in a URL fragment.
//
// The OAuth 2.0 Security Best Current Practice (RFC 9700, §2.1.2) says
// clients should not use the implicit grant, because the token leaks through
// the URL and cannot be bound to the client; use
// [OAuth2AuthorizationCodeBearer] with PKCE instead. OAuth2Implicit exists to
// document APIs that legacy clients still reach this way.
//
// The scheme only extracts the token; it does not verify it. A dependency
// that takes the scheme as a parameter verifies [OAuth2Implicit.Token] with
// the token package's verifier.
type OAuth2Implicit struct {
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Description documents the scheme in OpenAPI.
	Description string
	// AuthorizationURL is the authorization endpoint.
	AuthorizationURL string
	// RefreshURL is the endpoint that refreshes tokens, if any.
	RefreshURL string
	// Scopes are the scopes a token can carry, with their descriptions.
	Scopes Scopes
	// Optional lets a request without a token through, with Present
	// reporting false. A malformed token is still refused.
	Optional bool

	token string
}

// SchemeName returns SchemeID.
func (s OAuth2Implicit) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type oauth2 with an implicit flow.
func (s OAuth2Implicit) OpenAPI() *openapi3.SecurityScheme {
	return oauth2OpenAPI(s.Description, &openapi3.OAuthFlows{
		Implicit: openAPIFlow(s.AuthorizationURL, "", s.RefreshURL, s.Scopes),
	})
}

// ScopeNames returns the sorted names of the declared scopes.
func (s OAuth2Implicit) ScopeNames() []string { return scopeNames(s.Scopes) }

// Authenticate extracts the bearer token of r into a copy of s.
func (s OAuth2Implicit) Authenticate(r *http.Request) (Scheme, error) {
	return authenticated(&s, readOAuth2Token(&s.token, r, s.Optional))
}

// Present reports whether a token was sent.
func (s OAuth2Implicit) Present() bool { return s.token != "" }

// Token returns the token as sent, or "" when none was.
func (s OAuth2Implicit) Token() string { return s.token }

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s OAuth2Implicit) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }

// OAuth2 is the general OAuth2 scheme: any combination of flows, for an API
// whose tokens come from several of them.
//
// The scheme only extracts the token; it does not verify it. A dependency
// that takes the scheme as a parameter verifies [OAuth2.Token] with the
// token package's verifier.
type OAuth2 struct {
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Description documents the scheme in OpenAPI.
	Description string
	// Flows are the flows that issue the scheme's tokens. OpenAPI requires
	// at least one.
	Flows OAuth2Flows
	// Optional lets a request without a token through, with Present
	// reporting false. A malformed token is still refused.
	Optional bool

	token string
}

// SchemeName returns SchemeID.
func (s OAuth2) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type oauth2 with the configured flows.
func (s OAuth2) OpenAPI() *openapi3.SecurityScheme {
	flows := &openapi3.OAuthFlows{}
	if f := s.Flows.Password; f != nil {
		flows.Password = openAPIFlow(f.AuthorizationURL, f.TokenURL, f.RefreshURL, f.Scopes)
	}
	if f := s.Flows.ClientCredentials; f != nil {
		flows.ClientCredentials = openAPIFlow(f.AuthorizationURL, f.TokenURL, f.RefreshURL, f.Scopes)
	}
	if f := s.Flows.AuthorizationCode; f != nil {
		flows.AuthorizationCode = openAPIFlow(f.AuthorizationURL, f.TokenURL, f.RefreshURL, f.Scopes)
	}
	if f := s.Flows.Implicit; f != nil {
		flows.Implicit = openAPIFlow(f.AuthorizationURL, f.TokenURL, f.RefreshURL, f.Scopes)
	}
	return oauth2OpenAPI(s.Description, flows)
}

// ScopeNames returns the sorted, distinct names of the scopes of all flows.
func (s OAuth2) ScopeNames() []string {
	var sets []Scopes
	for _, f := range []*OAuth2Flow{
		s.Flows.Password, s.Flows.ClientCredentials, s.Flows.AuthorizationCode, s.Flows.Implicit,
	} {
		if f != nil {
			sets = append(sets, f.Scopes)
		}
	}
	return scopeNames(sets...)
}

// Authenticate extracts the bearer token of r into a copy of s.
func (s OAuth2) Authenticate(r *http.Request) (Scheme, error) {
	return authenticated(&s, readOAuth2Token(&s.token, r, s.Optional))
}

// Present reports whether a token was sent.
func (s OAuth2) Present() bool { return s.token != "" }

// Token returns the token as sent, or "" when none was.
func (s OAuth2) Token() string { return s.token }

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s OAuth2) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }
