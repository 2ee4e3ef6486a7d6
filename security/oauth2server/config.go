package oauth2server

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"
)

// Defaults that [New] fills in for zero Config fields.
const (
	// DefaultCodeTTL is how long an authorization code stays valid.
	DefaultCodeTTL = 60 * time.Second
	// DefaultRefreshTTL is how long a refresh token stays valid. Each
	// rotation starts a new period.
	DefaultRefreshTTL = 14 * 24 * time.Hour
	// DefaultFormTTL is how long a rendered login form can be submitted.
	DefaultFormTTL = 10 * time.Minute
	// DefaultLoginRate is the sustained rate of attempts per username and per
	// client address, in attempts per second.
	DefaultLoginRate rate.Limit = 2
	// DefaultLoginBurst is how many attempts a username or client address may
	// make at once before DefaultLoginRate applies.
	DefaultLoginBurst = 20
	// DefaultLimiterEntries bounds the number of usernames and addresses the
	// rate limiter remembers.
	DefaultLimiterEntries = 10000
	// DefaultMaxBodyBytes bounds the body of a token or login request.
	DefaultMaxBodyBytes = 64 << 10
	// DefaultRealm is the realm of the Basic challenge sent with
	// invalid_client.
	DefaultRealm = "token"
)

// AccessTokenIssuer issues access tokens; security/token's Issuer is one.
type AccessTokenIssuer interface {
	// IssueAccessToken returns a signed access token for subject, issued
	// through clientID ("" when no client took part) with the given scopes,
	// and its lifetime.
	IssueAccessToken(ctx context.Context, subject, clientID string, scopes []string) (string, time.Duration, error)
}

// PasswordHasher hashes and verifies passwords and client secrets;
// security/password's *Hasher is one. Tests may wrap it to count the work.
type PasswordHasher interface {
	// Hash returns the encoded hash of pw.
	Hash(ctx context.Context, pw string) (string, error)
	// Verify reports whether pw matches encoded, and whether encoded should
	// be replaced by a hash with the current parameters.
	Verify(ctx context.Context, encoded, pw string) (ok bool, needsRehash bool, err error)
	// VerifyDummy does the work of one Verify for a user or client that does
	// not exist, so that both answers take the same time.
	VerifyDummy(ctx context.Context, pw string)
}

// Config configures a [Server]. Users or Clients, Issuer and Hasher are
// required; the other fields have defaults.
type Config struct {
	// Users enables the password and authorization code grants.
	Users UserStore
	// Clients enables client authentication, and with it the client
	// credentials and authorization code grants. Without it only the
	// password grant without a client works.
	Clients ClientStore
	// Codes enables the authorization endpoint and the authorization code
	// grant. It needs Users and Clients.
	Codes CodeStore
	// Refresh enables refresh tokens: the password and authorization code
	// grants then answer with one, and the refresh_token grant is on.
	Refresh RefreshStore
	// Issuer issues the access tokens.
	Issuer AccessTokenIssuer
	// Hasher verifies user passwords and client secrets.
	Hasher PasswordHasher
	// KnownScopes lists every scope the server knows. A request for any
	// other scope is answered with invalid_scope. Nil skips the check.
	KnownScopes []string
	// RefreshTTL is the lifetime of a refresh token (DefaultRefreshTTL).
	RefreshTTL time.Duration
	// CodeTTL is the lifetime of an authorization code (DefaultCodeTTL).
	CodeTTL time.Duration
	// FormTTL is how long a login form can be submitted (DefaultFormTTL).
	FormTTL time.Duration
	// FormKey is the HMAC key that binds a login form to its parameters. Nil
	// makes a random key, which is right for a single instance; replicas
	// behind a load balancer need a shared key of at least 32 bytes.
	FormKey []byte
	// LoginRate is the sustained number of attempts per second allowed per
	// username and per client address (DefaultLoginRate). rate.Inf turns
	// rate limiting off.
	LoginRate rate.Limit
	// LoginBurst is the number of attempts allowed at once
	// (DefaultLoginBurst).
	LoginBurst int
	// LimiterEntries bounds how many usernames and addresses the limiter
	// remembers; the least recently seen are forgotten first
	// (DefaultLimiterEntries).
	LimiterEntries int
	// MaxBodyBytes bounds request bodies (DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// Realm is the realm of the Basic challenge (DefaultRealm).
	Realm string
	// Now is the clock (time.Now).
	Now func() time.Time
	// Logger receives store failures, refresh token reuse and rate limit
	// hits. Secrets are never logged. Nil uses slog.Default().
	Logger *slog.Logger
}

// Server is an OAuth2 authorization server: a token endpoint and an
// authorization endpoint. It is safe for concurrent use.
type Server struct {
	cfg     Config
	limiter *limiter
	known   map[string]bool
}

// New checks cfg, fills in the defaults and returns a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Issuer == nil {
		return nil, fmt.Errorf("%w: Issuer is nil; pass the access token issuer (security/token's *Issuer)", ErrInvalidConfig)
	}
	if cfg.Hasher == nil {
		return nil, fmt.Errorf("%w: Hasher is nil; pass security/password's *Hasher", ErrInvalidConfig)
	}
	if cfg.Users == nil && cfg.Clients == nil {
		return nil, fmt.Errorf("%w: Users and Clients are both nil; no grant could succeed", ErrInvalidConfig)
	}
	if cfg.Codes != nil && (cfg.Users == nil || cfg.Clients == nil) {
		return nil, fmt.Errorf("%w: Codes needs both Users and Clients for the authorization code grant", ErrInvalidConfig)
	}
	if cfg.Refresh != nil && cfg.Users == nil {
		return nil, fmt.Errorf("%w: Refresh needs Users; refresh tokens are only issued to users", ErrInvalidConfig)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"RefreshTTL", cfg.RefreshTTL}, {"CodeTTL", cfg.CodeTTL}, {"FormTTL", cfg.FormTTL}} {
		if d.v < 0 {
			return nil, fmt.Errorf("%w: %s is negative (%v)", ErrInvalidConfig, d.name, d.v)
		}
	}
	if cfg.LoginRate < 0 || cfg.LoginBurst < 0 || cfg.LimiterEntries < 0 || cfg.MaxBodyBytes < 0 {
		return nil, fmt.Errorf("%w: LoginRate, LoginBurst, LimiterEntries and MaxBodyBytes must not be negative", ErrInvalidConfig)
	}
	if cfg.FormKey != nil && len(cfg.FormKey) < 32 {
		return nil, fmt.Errorf("%w: FormKey has %d bytes; use at least 32 random bytes", ErrInvalidConfig, len(cfg.FormKey))
	}
	for _, s := range cfg.KnownScopes {
		if !validScopeToken(s) {
			return nil, fmt.Errorf("%w: KnownScopes holds %q, which is not an RFC 6749 scope token", ErrInvalidConfig, s)
		}
	}

	if cfg.CodeTTL == 0 {
		cfg.CodeTTL = DefaultCodeTTL
	}
	if cfg.RefreshTTL == 0 {
		cfg.RefreshTTL = DefaultRefreshTTL
	}
	if cfg.FormTTL == 0 {
		cfg.FormTTL = DefaultFormTTL
	}
	if cfg.LoginRate == 0 {
		cfg.LoginRate = DefaultLoginRate
	}
	if cfg.LoginBurst == 0 {
		cfg.LoginBurst = DefaultLoginBurst
	}
	if cfg.LimiterEntries == 0 {
		cfg.LimiterEntries = DefaultLimiterEntries
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Realm == "" {
		cfg.Realm = DefaultRealm
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.FormKey == nil {
		cfg.FormKey = make([]byte, 32)
		_, _ = rand.Read(cfg.FormKey) // crypto/rand.Read never fails
	} else {
		cfg.FormKey = append([]byte(nil), cfg.FormKey...)
	}

	s := &Server{
		cfg:     cfg,
		limiter: newLimiter(cfg.LoginRate, cfg.LoginBurst, cfg.LimiterEntries),
	}
	if cfg.KnownScopes != nil {
		s.known = make(map[string]bool, len(cfg.KnownScopes))
		for _, k := range cfg.KnownScopes {
			s.known[k] = true
		}
	}
	return s, nil
}
