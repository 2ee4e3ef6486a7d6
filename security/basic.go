package security

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// Details of Basic refusals. They never repeat the user-id or the password.
const (
	detailBasicNoCredentials = "the Authorization header names the Basic scheme but carries no credentials"
	detailBasicBase64        = "the Basic credentials are not valid base64"
	detailBasicUTF8          = "the Basic credentials are not valid UTF-8"
	detailBasicNoColon       = "the Basic credentials have no colon between user-id and password"
	detailBasicControl       = "the Basic credentials contain control characters"
	detailBasicInvalid       = "Incorrect username or password"
)

// parseBasic reads HTTP Basic credentials (RFC 7617 §2) from r. kind is nil
// on success and otherwise a sentinel: ErrNoCredentials when there is no
// Authorization header or it names another auth-scheme, and
// ErrMalformedCredentials when the header says Basic but its value does not
// decode to "user-id:password".
//
// net/http's Request.BasicAuth does the decoding too, but it answers false
// both for "no credentials" and for "broken credentials", which a scheme
// must tell apart (only the first may pass in optional mode). It also wants
// exactly one space after "Basic", where RFC 9110 allows any number, and it
// accepts invalid UTF-8. So the header is read here.
func parseBasic(r *http.Request) (username, password string, kind error, detail string) {
	scheme, cred, kind, detail := readAuthorization(r)
	if kind != nil {
		return "", "", kind, detail
	}
	if !strings.EqualFold(scheme, "Basic") {
		return "", "", ErrNoCredentials, ""
	}
	if cred == "" {
		return "", "", ErrMalformedCredentials, detailBasicNoCredentials
	}
	// Strict: padding is required and the unused low bits must be zero, so
	// one user-pass has exactly one accepted encoding.
	raw, err := base64.StdEncoding.Strict().DecodeString(cred)
	if err != nil || strings.ContainsAny(cred, "\r\n") {
		return "", "", ErrMalformedCredentials, detailBasicBase64
	}
	userPass := string(raw)
	if !utf8.ValidString(userPass) {
		return "", "", ErrMalformedCredentials, detailBasicUTF8
	}
	if hasControl(userPass) {
		return "", "", ErrMalformedCredentials, detailBasicControl
	}
	// The user-id cannot contain a colon; the password can (RFC 7617 §2).
	username, password, ok := strings.Cut(userPass, ":")
	if !ok {
		return "", "", ErrMalformedCredentials, detailBasicNoColon
	}
	return username, password, nil, ""
}

// hasControl reports whether s has an ASCII control character, which RFC
// 7617 §2 forbids in both the user-id and the password.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// HTTPBasic is the OpenAPI http security scheme with the basic auth-scheme
// of RFC 7617: the client sends "Authorization: Basic
// base64(user-id:password)".
//
// When Validate is nil, HTTPBasic ONLY EXTRACTS THE CREDENTIALS AND CHECKS
// NOTHING: any well-formed user-id and password are accepted, as FastAPI's
// HTTPBasic does. Either set Validate or check [HTTPBasic.Username] and
// [HTTPBasic.Password] in a dependency that takes the scheme as a parameter,
// comparing secrets in constant time.
//
// The auth-scheme name is matched in any letter case and the password may
// contain colons (the credentials split at the first one). The credentials
// must decode as strict base64 to UTF-8 without control characters and
// with a colon; anything else is refused as malformed, in optional mode too.
// A header with another auth-scheme counts as no credentials. Every refusal
// carries the challenge `Basic realm="<Realm>", charset="UTF-8"`.
type HTTPBasic struct {
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Description documents the scheme in OpenAPI.
	Description string
	// Realm is the protection space sent in the challenge; browsers show it
	// in their login dialog. RFC 7617 requires the parameter, so it is sent
	// even when empty.
	Realm string
	// Optional lets a request without credentials through, with Present
	// reporting false (FastAPI's auto_error=False). Malformed or rejected
	// credentials are still refused.
	Optional bool
	// Validate reports whether the credentials are acceptable. It runs for
	// every request that carries well-formed credentials, with the request's
	// context. It should answer an unknown user and a wrong password alike,
	// in about the same time. An error means the check itself failed, not
	// that the credentials are wrong: Authenticate returns it wrapped, and it
	// becomes a 500 whose body does not reveal it. When nil, all credentials
	// are accepted: see the type's doc.
	Validate func(ctx context.Context, username, password string) (bool, error)

	username, password string
	present            bool
}

// SchemeName returns SchemeID.
func (s HTTPBasic) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type http, scheme basic.
func (s HTTPBasic) OpenAPI() *openapi3.SecurityScheme {
	return &openapi3.SecurityScheme{Type: "http", Scheme: "basic", Description: s.Description}
}

// Challenge returns the WWW-Authenticate value of the scheme's refusals,
// `Basic realm="<Realm>", charset="UTF-8"`, with the realm quoted.
func (s HTTPBasic) Challenge() string {
	return formatChallenge("Basic", authParam{"realm", s.Realm}, authParam{"charset", "UTF-8"})
}

// Authenticate reads the Basic credentials of r into a copy of s and
// validates them.
func (s HTTPBasic) Authenticate(r *http.Request) (Scheme, error) {
	username, password, kind, detail := parseBasic(r)
	switch kind {
	case nil:
	case ErrNoCredentials:
		if s.Optional {
			return s.withCredentials("", "", false), nil
		}
		return nil, Unauthorized(ErrNoCredentials, detailNotAuthenticated, s.Challenge())
	default:
		return nil, Unauthorized(kind, detail, s.Challenge())
	}
	if s.Validate != nil {
		ok, err := s.Validate(r.Context(), username, password)
		if err != nil {
			return nil, fmt.Errorf("security: validating Basic credentials: %w", err)
		}
		if !ok {
			return nil, Unauthorized(ErrInvalidCredentials, detailBasicInvalid, s.Challenge())
		}
	}
	return s.withCredentials(username, password, true), nil
}

// withCredentials returns a copy of s that carries the given credentials.
func (s HTTPBasic) withCredentials(username, password string, present bool) HTTPBasic {
	s.username, s.password, s.present = username, password, present
	return s
}

// Present reports whether credentials were sent.
func (s HTTPBasic) Present() bool { return s.present }

// Username returns the user-id as sent, or "" when none was.
func (s HTTPBasic) Username() string { return s.username }

// Password returns the password as sent, or "" when none was.
func (s HTTPBasic) Password() string { return s.password }

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s HTTPBasic) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }
