package security

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// Details of bearer refusals. They name the problem, never the token.
const (
	detailNotAuthenticated = "Not authenticated"
	detailBearerNoToken    = "the Authorization header names the Bearer scheme but carries no token"
	detailBearerGrammar    = "the bearer token has characters that RFC 6750 does not allow"
)

// BearerToken reads the bearer token of r as RFC 6750 §2.1 sends it: an
// Authorization header whose auth-scheme is "Bearer" in any letter case,
// followed by the token in the b64token syntax
//
//	1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//
// Whitespace around the token is ignored. The error wraps ErrNoCredentials
// when there is no Authorization header, when it is blank, or when it names
// another auth-scheme (a "Basic ..." header carries no bearer token, and a
// route that also accepts Basic must not refuse it). The error wraps
// ErrMalformedCredentials when the header says Bearer but the token is empty
// or breaks the syntax, or when the request has several Authorization
// headers.
//
// Tokens in the query string or the form body (RFC 6750 §2.2 and §2.3) are
// not read: the header is the only method the RFC does not discourage.
func BearerToken(r *http.Request) (token string, err error) {
	token, kind, detail := bearerCredential(r)
	if kind != nil {
		if detail == "" {
			return "", fmt.Errorf("%w: no bearer token", kind)
		}
		return "", fmt.Errorf("%w: %s", kind, detail)
	}
	return token, nil
}

// bearerCredential is BearerToken without the error wrapping: kind is nil or
// a sentinel, and detail explains a malformed credential.
func bearerCredential(r *http.Request) (token string, kind error, detail string) {
	scheme, cred, kind, detail := readAuthorization(r)
	if kind != nil {
		return "", kind, detail
	}
	if !strings.EqualFold(scheme, "Bearer") {
		return "", ErrNoCredentials, ""
	}
	if cred == "" {
		return "", ErrMalformedCredentials, detailBearerNoToken
	}
	if !isB64Token(cred) {
		return "", ErrMalformedCredentials, detailBearerGrammar
	}
	return cred, nil, ""
}

// isB64Token reports whether s matches the b64token rule of RFC 6750 §2.1.
func isB64Token(s string) bool {
	end := len(s)
	for end > 0 && s[end-1] == '=' {
		end--
	}
	if end == 0 {
		return false
	}
	for i := 0; i < end; i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~', c == '+', c == '/':
		default:
			return false
		}
	}
	return true
}

// BearerChallenge builds the WWW-Authenticate value of RFC 6750 §3. Empty
// arguments are left out, so BearerChallenge("", "", "", "") is just
// "Bearer", and
//
//	BearerChallenge("", "insufficient_scope", "", "me items")
//
// is `Bearer error="insufficient_scope", scope="me items"`. The realm is
// written as a quoted-string with escapes. RFC 6750 limits error and
// error_description to printable ASCII without '"' and '\', and scope to
// space-separated tokens of that set, so those arguments are cleaned to fit:
// a double quote becomes an apostrophe, a backslash becomes a slash, other
// characters outside the set are dropped, and runs of whitespace in scope
// become one space.
func BearerChallenge(realm, errCode, description, scope string) string {
	params := make([]authParam, 0, 4)
	if realm != "" {
		params = append(params, authParam{"realm", realm})
	}
	if v := cleanNQSChar(errCode); v != "" {
		params = append(params, authParam{"error", v})
	}
	if v := cleanNQSChar(description); v != "" {
		params = append(params, authParam{"error_description", v})
	}
	if v := cleanScope(scope); v != "" {
		params = append(params, authParam{"scope", v})
	}
	return formatChallenge("Bearer", params...)
}

// cleanNQSChar maps s onto the NQSCHAR set of RFC 6750 §3
// (%x20-21 / %x23-5B / %x5D-7E).
func cleanNQSChar(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteByte('\'')
		case c == '\\':
			b.WriteByte('/')
		case c >= 0x20 && c <= 0x7e:
			b.WriteByte(c)
		}
	}
	return strings.TrimSpace(b.String())
}

// cleanScope keeps the NQCHAR bytes of each whitespace-separated scope token
// and joins the non-empty tokens with one space.
func cleanScope(s string) string {
	var out []string
	for _, f := range strings.Fields(s) {
		var b strings.Builder
		for i := 0; i < len(f); i++ {
			if c := f[i]; c >= 0x21 && c <= 0x7e && c != '"' && c != '\\' {
				b.WriteByte(c)
			}
		}
		if b.Len() > 0 {
			out = append(out, b.String())
		}
	}
	return strings.Join(out, " ")
}

// authenticateBearer is the Authenticate step every token scheme shares. It
// returns the token; in optional mode a missing token gives "" and no error.
// Refusals carry an RFC 6750 challenge with the given realm: a bare one when
// the token is missing, and error="invalid_token" when it is malformed.
func authenticateBearer(r *http.Request, optional bool, realm string) (string, error) {
	token, kind, detail := bearerCredential(r)
	switch kind {
	case nil:
		return token, nil
	case ErrNoCredentials:
		if optional {
			return "", nil
		}
		return "", Unauthorized(ErrNoCredentials, detailNotAuthenticated, BearerChallenge(realm, "", "", ""))
	default:
		return "", Unauthorized(kind, detail, BearerChallenge(realm, "invalid_token", detail, ""))
	}
}

// HTTPBearer is the OpenAPI http security scheme with the bearer
// auth-scheme: the client sends "Authorization: Bearer <token>".
//
// HTTPBearer only extracts the token, following RFC 6750 §2.1 (see
// [BearerToken]); it does not verify it. A dependency that takes the scheme
// as a parameter verifies [HTTPBearer.Token] with the token package's
// verifier, and refuses the request when that fails.
//
// A header with another auth-scheme, such as "Basic ...", counts as no
// credential for HTTPBearer, as in FastAPI: the answer is 401 with
// "WWW-Authenticate: Bearer", and in optional mode the request goes on
// without a token. A Bearer header whose token is empty or malformed is
// refused with error="invalid_token", in optional mode too.
type HTTPBearer struct {
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Description documents the scheme in OpenAPI.
	Description string
	// BearerFormat hints at the token's format, such as "JWT". OpenAPI shows
	// it; it is not checked.
	BearerFormat string
	// Realm, when set, is sent as the realm parameter of the challenge.
	Realm string
	// Optional lets a request without a bearer token through, with Present
	// reporting false (FastAPI's auto_error=False). A malformed token is
	// still refused.
	Optional bool

	token string
}

// SchemeName returns SchemeID.
func (s HTTPBearer) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type http, scheme bearer.
func (s HTTPBearer) OpenAPI() *openapi3.SecurityScheme {
	return &openapi3.SecurityScheme{
		Type:         "http",
		Scheme:       "bearer",
		BearerFormat: s.BearerFormat,
		Description:  s.Description,
	}
}

// Authenticate extracts the bearer token of r into a copy of s.
func (s HTTPBearer) Authenticate(r *http.Request) (Scheme, error) {
	token, err := authenticateBearer(r, s.Optional, s.Realm)
	if err != nil {
		return nil, err
	}
	s.token = token
	return s, nil
}

// Present reports whether a token was sent.
func (s HTTPBearer) Present() bool { return s.token != "" }

// Token returns the token as sent, or "" when none was.
func (s HTTPBearer) Token() string { return s.token }

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s HTTPBearer) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }
