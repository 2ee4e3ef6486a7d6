package security

import (
	"errors"
	"net/http"
)

// Sentinel errors. Refusals from schemes wrap exactly one of them.
var (
	// ErrNoCredentials means the request carried no credential for the scheme.
	// An optional dependency treats it as "absent".
	ErrNoCredentials = errors.New("security: no credentials")
	// ErrMalformedCredentials means a credential was sent but could not be
	// parsed. It is refused even in optional mode.
	ErrMalformedCredentials = errors.New("security: malformed credentials")
	// ErrInvalidCredentials means a credential was sent and parsed, but is wrong.
	ErrInvalidCredentials = errors.New("security: invalid credentials")
	// ErrInsufficientScope means the credential is valid but lacks a required scope.
	ErrInsufficientScope = errors.New("security: insufficient scope")
)

// ErrSchemeMisconfigured means a scheme value cannot work as configured, such
// as an [HTTPDigest] without a Lookup. It is not a refusal: Authenticate
// returns it as a plain error, which the framework answers with a 500, and
// Validate returns it at startup.
var ErrSchemeMisconfigured = errors.New("security: scheme misconfigured")

// ErrIssuerUnavailable means an OpenID Connect issuer could not be reached
// or answered discovery or the JWKS request with something unusable. It is
// not a refusal: the token may well be good, so [OpenIdConnect.Authenticate]
// returns it as a plain error, which the framework answers with a 500.
var ErrIssuerUnavailable = errors.New("security: OpenID Connect issuer unavailable")

// Error is a refusal with an HTTP status and the WWW-Authenticate challenges
// that tell the client how to authenticate. It implements the StatusCode and
// ResponseHeader methods the framework's error renderer looks for.
type Error struct {
	// Status is the HTTP status, usually 401 or 403.
	Status int
	// Detail is a human-readable explanation. It is sent to the client, so it
	// must never contain the credential itself.
	Detail string
	// Challenges are complete WWW-Authenticate values, such as
	// `Basic realm="example", charset="UTF-8"`.
	Challenges []string
	// Err is the category (one of the sentinels) and is what Unwrap returns.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Err.Error() + ": " + e.Detail
	}
	return "security: " + e.Detail
}

// Unwrap returns the category sentinel.
func (e *Error) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status of the refusal.
func (e *Error) StatusCode() int { return e.Status }

// ResponseHeader returns the headers to send with the refusal.
func (e *Error) ResponseHeader() http.Header {
	if len(e.Challenges) == 0 {
		return nil
	}
	h := make(http.Header, 1)
	h["Www-Authenticate"] = append([]string(nil), e.Challenges...)
	return h
}

// Unauthorized returns a 401 refusal of category kind with one challenge.
func Unauthorized(kind error, detail, challenge string) *Error {
	e := &Error{Status: http.StatusUnauthorized, Detail: detail, Err: kind}
	if challenge != "" {
		e.Challenges = []string{challenge}
	}
	return e
}

// Forbidden returns a 403 refusal of category kind with one challenge.
func Forbidden(kind error, detail, challenge string) *Error {
	e := &Error{Status: http.StatusForbidden, Detail: detail, Err: kind}
	if challenge != "" {
		e.Challenges = []string{challenge}
	}
	return e
}
