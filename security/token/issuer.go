package token

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/portcullis/portcullis/security"
)

// DefaultTTL is the lifetime of access tokens when [IssuerConfig.TTL] is
// zero.
const DefaultTTL = 15 * time.Minute

// AccessTokenType is the typ header of the tokens an [Issuer] signs, as
// RFC 9068 §2.1 asks.
const AccessTokenType = "at+jwt"

// IssuerConfig configures an [Issuer].
type IssuerConfig struct {
	// Issuer is the iss claim, usually the server's base URL. Required.
	Issuer string
	// Audience is the aud claim: the resource servers the tokens are for.
	// A Verifier only accepts tokens whose aud contains its Audience.
	Audience []string
	// TTL is how long tokens stay valid. Zero means DefaultTTL.
	TTL time.Duration
	// Keys signs the tokens with its current signing key. Required.
	Keys *KeySet
	// Now returns the current time. Nil means time.Now. Tests set it.
	Now func() time.Time
}

// Issuer signs access tokens. It is safe for concurrent use.
type Issuer struct {
	issuer   string
	audience []string
	ttl      time.Duration
	keys     *KeySet
	now      func() time.Time
}

// NewIssuer checks cfg and returns an Issuer. The error wraps [ErrConfig].
func NewIssuer(cfg IssuerConfig) (*Issuer, error) {
	switch {
	case cfg.Issuer == "":
		return nil, fmt.Errorf("%w: IssuerConfig.Issuer is required (the iss claim, such as the server's URL)", ErrConfig)
	case cfg.Keys == nil:
		return nil, fmt.Errorf("%w: IssuerConfig.Keys is required (build one with NewKeySet)", ErrConfig)
	case cfg.TTL < 0:
		return nil, fmt.Errorf("%w: IssuerConfig.TTL must not be negative, got %v", ErrConfig, cfg.TTL)
	}
	for _, aud := range cfg.Audience {
		if aud == "" {
			return nil, fmt.Errorf("%w: IssuerConfig.Audience has an empty entry", ErrConfig)
		}
	}
	i := &Issuer{
		issuer:   cfg.Issuer,
		audience: append([]string(nil), cfg.Audience...),
		ttl:      cfg.TTL,
		keys:     cfg.Keys,
		now:      cfg.Now,
	}
	if i.ttl == 0 {
		i.ttl = DefaultTTL
	}
	if i.now == nil {
		i.now = time.Now
	}
	return i, nil
}

// IssueOption adjusts the claims of one token before it is signed.
type IssueOption func(*Claims)

// WithClientID sets the client_id claim: the OAuth2 client the token was
// issued to.
func WithClientID(id string) IssueOption {
	return func(c *Claims) { c.ClientID = id }
}

// WithTTL gives the token a lifetime of d instead of the issuer's TTL.
// Issue refuses a d that is not positive.
func WithTTL(d time.Duration) IssueOption {
	return func(c *Claims) { c.ExpiresAt = jwt.NewNumericDate(c.IssuedAt.Add(d)) }
}

// WithAudience sets the aud claim instead of the issuer's audience.
func WithAudience(aud ...string) IssueOption {
	return func(c *Claims) { c.Audience = append(jwt.ClaimStrings(nil), aud...) }
}

// Issue signs an access token for subject with the given scopes, using the
// key set's current signing key. The claims are iss, sub, aud, iat, nbf
// (both now), exp (now plus the TTL), a random jti, scope (the scopes
// joined by spaces, without duplicates) and client_id when set. The header
// carries the key's kid and typ "at+jwt". It returns the signed token and
// its claims.
func (i *Issuer) Issue(subject string, scopes []string, opts ...IssueOption) (raw string, claims *Claims, err error) {
	if subject == "" {
		return "", nil, fmt.Errorf("%w: Issue needs a subject", ErrNoSubject)
	}
	now := jwt.NewNumericDate(i.now())
	claims = &Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    i.issuer,
			Subject:   subject,
			Audience:  append(jwt.ClaimStrings(nil), i.audience...),
			ExpiresAt: jwt.NewNumericDate(now.Add(i.ttl)),
			NotBefore: now,
			IssuedAt:  now,
			ID:        rand.Text(),
		},
		Scope: strings.Join(security.ParseScope(strings.Join(scopes, " ")), " "),
	}
	for _, opt := range opts {
		opt(claims)
	}
	if claims.ExpiresAt == nil || !claims.ExpiresAt.After(claims.IssuedAt.Time) {
		return "", nil, fmt.Errorf("%w: Issue: the token would expire before it is issued", ErrConfig)
	}
	key := i.keys.signingKey()
	tok := jwt.NewWithClaims(signingMethod(key.Algorithm), claims)
	tok.Header["kid"] = key.ID
	tok.Header["typ"] = AccessTokenType
	raw, err = tok.SignedString(key.Private)
	if err != nil {
		return "", nil, fmt.Errorf("token: signing with key %q: %w", key.ID, err)
	}
	return raw, claims, nil
}

// IssueAccessToken issues a token for subject and clientID with scopes, and
// returns it with its lifetime. It is the method a token endpoint calls, so
// an *Issuer serves as the endpoint's access token issuer. It returns
// ctx.Err() when ctx has ended.
func (i *Issuer) IssueAccessToken(ctx context.Context, subject, clientID string, scopes []string) (token string, expiresIn time.Duration, err error) {
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	var opts []IssueOption
	if clientID != "" {
		opts = append(opts, WithClientID(clientID))
	}
	raw, claims, err := i.Issue(subject, scopes, opts...)
	if err != nil {
		return "", 0, err
	}
	return raw, claims.ExpiresAt.Sub(claims.IssuedAt.Time), nil
}
