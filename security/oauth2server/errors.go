package oauth2server

import (
	"errors"
	"net/http"
)

// Sentinel errors.
var (
	// ErrInvalidConfig means [New] was given a Config it cannot work with.
	// The wrapping error names the field and the fix.
	ErrInvalidConfig = errors.New("oauth2server: invalid configuration")
	// ErrDuplicate means a memory store was asked to save a code or refresh
	// token under a digest it already holds.
	ErrDuplicate = errors.New("oauth2server: duplicate key")
	// ErrStoreFull means a memory store reached its size limit even after
	// dropping expired entries.
	ErrStoreFull = errors.New("oauth2server: store is full")
)

// Error codes of RFC 6749 §5.2 and §4.1.2.1, and slow_down, which the OAuth
// extensions error registry lists for the token endpoint (RFC 8628) and which
// this package answers with status 429.
const (
	codeInvalidRequest          = "invalid_request"
	codeInvalidClient           = "invalid_client"
	codeInvalidGrant            = "invalid_grant"
	codeUnauthorizedClient      = "unauthorized_client"
	codeUnsupportedGrantType    = "unsupported_grant_type"
	codeUnsupportedResponseType = "unsupported_response_type"
	codeInvalidScope            = "invalid_scope"
	codeAccessDenied            = "access_denied"
	codeServerError             = "server_error"
	codeSlowDown                = "slow_down"
)

// Descriptions that must be identical on several paths.
const (
	// descBadLogin is the answer for an unknown user and a wrong password
	// alike.
	descBadLogin = "incorrect username or password"
	// descInternal is the only description a client sees for a server fault.
	descInternal = "internal error"
)

// oauthError is an RFC 6749 error answer: a status, an error code and a
// human-readable description that is safe to show the client.
type oauthError struct {
	status      int
	code        string
	description string
	// basic asks for a WWW-Authenticate: Basic challenge (invalid_client
	// after the client tried HTTP Basic).
	basic bool
	// retryAfter is the Retry-After value in seconds, for slow_down.
	retryAfter int
}

func (e *oauthError) Error() string {
	return "oauth2server: " + e.code + ": " + e.description
}

func invalidRequest(desc string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: codeInvalidRequest, description: desc}
}

func invalidGrant(desc string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: codeInvalidGrant, description: desc}
}

func invalidScope(desc string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: codeInvalidScope, description: desc}
}

func unauthorizedClient(desc string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: codeUnauthorizedClient, description: desc}
}

// invalidClient answers a failed client authentication: 401 with a Basic
// challenge when the client used the Authorization header (RFC 6749 §5.2
// requires it), 400 otherwise.
func invalidClient(desc string, basic bool) *oauthError {
	status := http.StatusBadRequest
	if basic {
		status = http.StatusUnauthorized
	}
	return &oauthError{status: status, code: codeInvalidClient, description: desc, basic: basic}
}

func serverError() *oauthError {
	return &oauthError{status: http.StatusInternalServerError, code: codeServerError, description: descInternal}
}
