package token

import "errors"

// Sentinel errors.
//
// Every refusal of [Verifier.Verify] wraps [ErrInvalidToken] and exactly one
// of the specific sentinels below it, so callers can test the category and
// the reason with errors.Is. Construction errors wrap [ErrConfig].
var (
	// ErrInvalidToken is the category of every refusal of a token.
	ErrInvalidToken = errors.New("token: invalid token")

	// ErrMalformed means the token is not a well-formed JWS compact
	// serialization with JSON header and claims.
	ErrMalformed = errors.New("token: malformed")
	// ErrTooLarge means the token is longer than the verifier's
	// MaxTokenSize; it was refused before parsing.
	ErrTooLarge = errors.New("token: too large")
	// ErrAlgorithm means the token's alg is not in the verifier's allow-list
	// (alg "none" never is), or does not match the kind of key its kid names.
	ErrAlgorithm = errors.New("token: algorithm not allowed")
	// ErrUnknownKey means the token has no kid, or a kid that is not in the
	// key set (any more).
	ErrUnknownKey = errors.New("token: unknown signing key")
	// ErrSignature means the signature does not match the header and
	// claims: the token was signed with another key, or changed.
	ErrSignature = errors.New("token: signature invalid")
	// ErrNoExpiry means the token has no exp claim. RFC 8725 asks for one.
	ErrNoExpiry = errors.New("token: no expiry")
	// ErrExpired means exp is in the past by more than the leeway.
	ErrExpired = errors.New("token: expired")
	// ErrNotYetValid means nbf, or iat, is in the future by more than the
	// leeway.
	ErrNotYetValid = errors.New("token: not valid yet")
	// ErrIssuer means iss is missing or is not the expected issuer.
	ErrIssuer = errors.New("token: wrong issuer")
	// ErrAudience means aud is missing or does not contain the expected
	// audience.
	ErrAudience = errors.New("token: wrong audience")
	// ErrNoSubject means the token has no sub claim. Issuer.Issue also
	// returns it, outside ErrInvalidToken, when asked for an empty subject.
	ErrNoSubject = errors.New("token: no subject")
	// ErrNoID means the token has no jti claim, so it could not be revoked.
	ErrNoID = errors.New("token: no token id")
	// ErrRevoked means the revocation checker reports the token's jti as
	// revoked.
	ErrRevoked = errors.New("token: revoked")

	// ErrRevocationCheck means the revocation checker failed. It does not
	// wrap ErrInvalidToken: the token may be fine, but it cannot be accepted
	// until the check works again.
	ErrRevocationCheck = errors.New("token: revocation check failed")
	// ErrConfig means a key, key set, issuer or verifier was built with an
	// invalid configuration.
	ErrConfig = errors.New("token: invalid configuration")
)

// refusal is the error Verify returns: the category ErrInvalidToken, the
// specific reason, and the cause from the JWT library if there is one.
type refusal struct {
	reason error
	cause  error
}

// refuse returns a refusal for reason with an optional cause.
func refuse(reason, cause error) error { return &refusal{reason: reason, cause: cause} }

// Error implements error.
func (r *refusal) Error() string {
	if r.cause == nil {
		return r.reason.Error()
	}
	return r.reason.Error() + ": " + r.cause.Error()
}

// Unwrap returns ErrInvalidToken, the reason and the cause.
func (r *refusal) Unwrap() []error {
	if r.cause == nil {
		return []error{ErrInvalidToken, r.reason}
	}
	return []error{ErrInvalidToken, r.reason, r.cause}
}
