package token

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Verifier defaults.
const (
	// DefaultLeeway is the clock skew allowed on exp, nbf and iat when
	// [VerifierConfig.Leeway] is zero.
	DefaultLeeway = 30 * time.Second
	// DefaultMaxTokenSize is the longest token accepted, in bytes, when
	// [VerifierConfig.MaxTokenSize] is zero.
	DefaultMaxTokenSize = 8 << 10
)

// VerifierConfig configures a [Verifier]. Issuer, Audience, Algorithms and
// Keys are required: RFC 8725 asks verifiers to pin all four.
type VerifierConfig struct {
	// Issuer is the only iss accepted. Required.
	Issuer string
	// Audience must be one of the token's aud values. Required.
	Audience string
	// Algorithms is the allow-list of JWA algorithm names, such as
	// []string{"RS256"}. Required; "none" is never allowed. A token's alg
	// must also be the algorithm of the key its kid names.
	Algorithms []string
	// Keys holds the verification keys, found by the token's kid. Required.
	Keys *KeySet
	// Leeway is the clock skew allowed on exp, nbf and iat. Zero means
	// DefaultLeeway.
	Leeway time.Duration
	// Now returns the current time. Nil means time.Now. Tests set it.
	Now func() time.Time
	// Revocation, when set, is asked about each token's jti after every
	// other check has passed.
	Revocation RevocationChecker
	// MaxTokenSize is the longest token accepted, in bytes; longer ones are
	// refused before parsing. Zero means DefaultMaxTokenSize.
	MaxTokenSize int
}

// RevocationChecker reports whether the token with id jti was revoked. An
// error means the answer is unknown; the token is then not accepted.
type RevocationChecker interface {
	IsRevoked(ctx context.Context, jti string) (bool, error)
}

// RevocationFunc adapts a function to [RevocationChecker].
type RevocationFunc func(ctx context.Context, jti string) (bool, error)

// IsRevoked calls f.
func (f RevocationFunc) IsRevoked(ctx context.Context, jti string) (bool, error) { return f(ctx, jti) }

// Verifier checks access tokens. It is safe for concurrent use.
type Verifier struct {
	issuer     string
	audience   string
	algs       []string
	keys       *KeySet
	revocation RevocationChecker
	maxSize    int
	parser     *jwt.Parser
}

// NewVerifier checks cfg and returns a Verifier. The error wraps
// [ErrConfig] and names the field to fix.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	switch {
	case cfg.Issuer == "":
		return nil, fmt.Errorf("%w: VerifierConfig.Issuer is required (the iss your issuer writes)", ErrConfig)
	case cfg.Audience == "":
		return nil, fmt.Errorf("%w: VerifierConfig.Audience is required (this server's name in the tokens' aud)", ErrConfig)
	case len(cfg.Algorithms) == 0:
		return nil, fmt.Errorf("%w: VerifierConfig.Algorithms is required (an allow-list such as []string{%q})", ErrConfig, RS256)
	case cfg.Keys == nil:
		return nil, fmt.Errorf("%w: VerifierConfig.Keys is required (build one with NewKeySet)", ErrConfig)
	case cfg.Leeway < 0:
		return nil, fmt.Errorf("%w: VerifierConfig.Leeway must not be negative, got %v", ErrConfig, cfg.Leeway)
	case cfg.MaxTokenSize < 0:
		return nil, fmt.Errorf("%w: VerifierConfig.MaxTokenSize must not be negative, got %d", ErrConfig, cfg.MaxTokenSize)
	}
	var algs []string
	for _, alg := range cfg.Algorithms {
		if signingMethod(alg) == nil {
			return nil, fmt.Errorf("%w: VerifierConfig.Algorithms: %q is not allowed (use HS256, RS256, ES256 or EdDSA)", ErrConfig, alg)
		}
		if !slices.Contains(algs, alg) {
			algs = append(algs, alg)
		}
	}
	v := &Verifier{
		issuer:     cfg.Issuer,
		audience:   cfg.Audience,
		algs:       algs,
		keys:       cfg.Keys,
		revocation: cfg.Revocation,
		maxSize:    cfg.MaxTokenSize,
	}
	if v.maxSize == 0 {
		v.maxSize = DefaultMaxTokenSize
	}
	leeway := cfg.Leeway
	if leeway == 0 {
		leeway = DefaultLeeway
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	v.parser = jwt.NewParser(
		jwt.WithValidMethods(algs),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithLeeway(leeway),
		jwt.WithTimeFunc(now),
		jwt.WithStrictDecoding(),
	)
	return v, nil
}

// Verify checks raw and returns its claims. It refuses, checking roughly
// in this order:
//
//   - a token longer than MaxTokenSize, before any parsing ([ErrTooLarge]);
//   - one that does not parse, or has a crit header ([ErrMalformed]);
//   - an alg outside the allow-list, "none" included ([ErrAlgorithm]);
//   - a missing or unknown kid ([ErrUnknownKey]);
//   - an alg that is not the algorithm of the kid's key, such as HS256
//     with an RSA key's id ([ErrAlgorithm]);
//   - a bad signature ([ErrSignature]);
//   - no exp ([ErrNoExpiry]), exp in the past ([ErrExpired]), nbf or iat
//     in the future ([ErrNotYetValid]), another iss ([ErrIssuer]), an aud
//     without the verifier's audience ([ErrAudience]);
//   - no sub ([ErrNoSubject]), no jti ([ErrNoID]);
//   - a revoked jti ([ErrRevoked]).
//
// Time checks allow the leeway. Each refusal wraps [ErrInvalidToken] and
// the one specific sentinel.
//
// When the revocation checker fails, the error wraps [ErrRevocationCheck]
// and the checker's error, and not ErrInvalidToken.
func (v *Verifier) Verify(ctx context.Context, raw string) (*Claims, error) {
	if len(raw) > v.maxSize {
		return nil, refuse(ErrTooLarge, fmt.Errorf("%d bytes, at most %d allowed", len(raw), v.maxSize))
	}
	var keyErr error
	claims := &Claims{}
	tok, err := v.parser.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		key, err := v.keyFor(t)
		keyErr = err
		return key, err
	})
	if err != nil {
		if keyErr != nil {
			return nil, keyErr
		}
		return nil, v.classify(tok, claims, err)
	}
	if claims.Subject == "" {
		return nil, refuse(ErrNoSubject, nil)
	}
	if claims.ID == "" {
		return nil, refuse(ErrNoID, nil)
	}
	if v.revocation != nil {
		revoked, err := v.revocation.IsRevoked(ctx, claims.ID)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrRevocationCheck, err)
		}
		if revoked {
			return nil, refuse(ErrRevoked, nil)
		}
	}
	return claims, nil
}

// keyFor finds the verification key of t by its kid, and checks that the
// key is meant for t's alg. The jwt library then checks the key's Go type
// against the alg as well.
func (v *Verifier) keyFor(t *jwt.Token) (any, error) {
	if _, ok := t.Header["crit"]; ok {
		// RFC 7515 §4.1.11: a recipient must refuse a JWS whose crit names
		// extensions it does not understand, and this verifier knows none.
		return nil, refuse(ErrMalformed, errors.New("the token's crit header names extensions this verifier does not support"))
	}
	kid, _ := t.Header["kid"].(string)
	if kid == "" {
		return nil, refuse(ErrUnknownKey, errors.New("the token has no kid"))
	}
	key, ok := v.keys.lookup(kid)
	if !ok {
		return nil, refuse(ErrUnknownKey, fmt.Errorf("no key with kid %q", kid))
	}
	if alg := t.Method.Alg(); alg != key.Algorithm {
		return nil, refuse(ErrAlgorithm, fmt.Errorf("key %q is for %s, not %s", kid, key.Algorithm, alg))
	}
	return key.verificationKey(), nil
}

// classify turns an error of the jwt parser into a refusal with one
// specific sentinel. tok and claims are what the parser decoded before it
// failed; either may be incomplete.
func (v *Verifier) classify(tok *jwt.Token, claims *Claims, err error) error {
	if tok != nil && tok.Header != nil {
		if alg, _ := tok.Header["alg"].(string); !slices.Contains(v.algs, alg) {
			return refuse(ErrAlgorithm, fmt.Errorf("alg %q is not in the allow-list", alg))
		}
	}
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return refuse(ErrMalformed, err)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return refuse(ErrSignature, err)
	case !errors.Is(err, jwt.ErrTokenInvalidClaims):
		return refuse(ErrMalformed, err)
	case claims.ExpiresAt == nil:
		return refuse(ErrNoExpiry, err)
	case errors.Is(err, jwt.ErrTokenExpired):
		return refuse(ErrExpired, err)
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return refuse(ErrNotYetValid, err)
	case errors.Is(err, jwt.ErrTokenInvalidIssuer), claims.Issuer != v.issuer:
		return refuse(ErrIssuer, err)
	case errors.Is(err, jwt.ErrTokenInvalidAudience), !slices.Contains(claims.Audience, v.audience):
		return refuse(ErrAudience, err)
	}
	return refuse(ErrMalformed, err)
}
