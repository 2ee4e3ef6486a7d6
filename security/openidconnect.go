package security

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// Defaults of [OIDCVerifier].
const (
	// DefaultOIDCRetryBackoff is how long a verifier waits after a failed
	// discovery before it tries again; requests in between fail at once.
	DefaultOIDCRetryBackoff = 5 * time.Second
	// oidcDiscoveryTimeout bounds one discovery request, whatever the
	// HTTP client's own timeout.
	oidcDiscoveryTimeout = 30 * time.Second
	// oidcClientTimeout is the timeout of the HTTP client a verifier makes
	// when none is given.
	oidcClientTimeout = 10 * time.Second
)

// oidcSupportedAlgorithms are the signature algorithms a verifier may be
// allowed to accept: the asymmetric ones go-oidc verifies. HMAC and "none"
// are not among them.
var oidcSupportedAlgorithms = []string{
	oidc.RS256, oidc.RS384, oidc.RS512,
	oidc.ES256, oidc.ES384, oidc.ES512,
	oidc.PS256, oidc.PS384, oidc.PS512,
	oidc.EdDSA,
}

// OIDCOption configures an [OIDCVerifier].
type OIDCOption func(*OIDCVerifier)

// WithOIDCHTTPClient makes the verifier fetch the discovery document and the
// JWKS with c instead of a client with a 10 second timeout.
func WithOIDCHTTPClient(c *http.Client) OIDCOption {
	return func(v *OIDCVerifier) { v.client = c }
}

// WithOIDCAlgorithms sets the signature algorithms a token may use. The
// default is RS256 and ES256. Only asymmetric algorithms are allowed.
func WithOIDCAlgorithms(algs ...string) OIDCOption {
	return func(v *OIDCVerifier) { v.algorithms = slices.Clone(algs) }
}

// WithOIDCClock sets the clock used for token expiry and for the discovery
// retry backoff. The default is time.Now.
func WithOIDCClock(now func() time.Time) OIDCOption {
	return func(v *OIDCVerifier) { v.now = now }
}

// WithOIDCRetryBackoff sets how long the verifier waits after a failed
// discovery before it tries again. The default is [DefaultOIDCRetryBackoff].
func WithOIDCRetryBackoff(d time.Duration) OIDCOption {
	return func(v *OIDCVerifier) { v.backoff = d }
}

// UnsafeSkipAudienceCheck accepts tokens whatever their audience, which
// NewOIDCVerifier then requires clientID to be empty for. Any token the
// issuer signed for any client is then accepted, so use it only when
// something else checks what the token is for.
func UnsafeSkipAudienceCheck() OIDCOption {
	return func(v *OIDCVerifier) { v.skipAudience = true }
}

// OIDCVerifier verifies the tokens of one OpenID Connect issuer. It is shared
// by pointer: it discovers the issuer once and caches the JWKS.
//
// # Lazy discovery
//
// Discovery happens on the first verification, not in NewOIDCVerifier, so an
// app can be its own issuer: it cannot answer its own discovery request
// before it listens. Concurrent first requests share one discovery. A failed
// discovery is remembered for the retry backoff, so an unreachable issuer is
// not hammered; the next request after it tries again. [OIDCVerifier.Discover]
// runs discovery eagerly, for apps that want to fail early.
//
// Discovery uses go-oidc's NewProvider, which fetches
// issuer + "/.well-known/openid-configuration" and checks that the document
// names the same issuer. The verifier is then built with oidc.NewVerifier on
// a RemoteKeySet for the document's jwks_uri, wrapped so that a JWKS that
// cannot be fetched is told apart from a bad signature. The RemoteKeySet
// caches the keys and fetches them again when a token names a key id it does
// not know, which is how key rotation reaches the verifier. A key the issuer
// has removed from its JWKS stays trusted until that next fetch.
//
// # Checks
//
// A token must be a JWS signed with an allowed algorithm by a key of the
// issuer's JWKS, with "iss" equal to the issuer, "exp" in the future, "nbf"
// (if present) not more than five minutes ahead, and "aud" containing the
// client id. These are the ID token rules of OpenID Connect Core 3.1.3.7;
// they equally fit JWT access tokens (RFC 9068) when clientID is the
// audience the issuer puts in them.
type OIDCVerifier struct {
	issuer       string
	clientID     string
	skipAudience bool
	algorithms   []string
	client       *http.Client
	now          func() time.Time
	backoff      time.Duration
	base         context.Context

	ready    atomic.Pointer[oidc.IDTokenVerifier]
	mu       sync.Mutex
	inflight *oidcDiscovery
	lastErr  error
	retryAt  time.Time
}

// oidcDiscovery is one discovery in progress, which concurrent callers wait on.
type oidcDiscovery struct {
	done     chan struct{}
	verifier *oidc.IDTokenVerifier
	err      error
}

// NewOIDCVerifier returns a verifier for the tokens of issuerURL whose
// audience includes clientID. It does not contact the issuer; see
// [OIDCVerifier]. ctx carries values for the HTTP requests, and its
// cancellation is ignored, because discovery happens later.
//
// An empty issuer, an empty clientID without [UnsafeSkipAudienceCheck], a
// clientID with it, and an algorithm outside RS*, ES*, PS* and EdDSA are
// errors wrapping [ErrSchemeMisconfigured].
func NewOIDCVerifier(ctx context.Context, issuerURL, clientID string, opts ...OIDCOption) (*OIDCVerifier, error) {
	v := &OIDCVerifier{
		issuer:     issuerURL,
		clientID:   clientID,
		algorithms: []string{oidc.RS256, oidc.ES256},
		now:        time.Now,
		backoff:    DefaultOIDCRetryBackoff,
		base:       context.WithoutCancel(ctx),
	}
	for _, o := range opts {
		o(v)
	}
	if v.client == nil {
		v.client = &http.Client{Timeout: oidcClientTimeout}
	}
	if v.now == nil {
		v.now = time.Now
	}
	switch {
	case issuerURL == "":
		return nil, fmt.Errorf("security: NewOIDCVerifier: the issuer URL is empty: %w", ErrSchemeMisconfigured)
	case clientID == "" && !v.skipAudience:
		return nil, fmt.Errorf("security: NewOIDCVerifier: the client id is empty; pass the audience tokens must carry "+
			"(or UnsafeSkipAudienceCheck to accept any): %w", ErrSchemeMisconfigured)
	case clientID != "" && v.skipAudience:
		return nil, fmt.Errorf("security: NewOIDCVerifier: a client id and UnsafeSkipAudienceCheck contradict each other: %w",
			ErrSchemeMisconfigured)
	case len(v.algorithms) == 0:
		return nil, fmt.Errorf("security: NewOIDCVerifier: no signature algorithm is allowed: %w", ErrSchemeMisconfigured)
	}
	for _, a := range v.algorithms {
		if !slices.Contains(oidcSupportedAlgorithms, a) {
			return nil, fmt.Errorf("security: NewOIDCVerifier: algorithm %q is not allowed (use one of %s): %w",
				a, strings.Join(oidcSupportedAlgorithms, ", "), ErrSchemeMisconfigured)
		}
	}
	return v, nil
}

// Issuer returns the issuer URL that tokens must name.
func (v *OIDCVerifier) Issuer() string { return v.issuer }

// DiscoveryURL returns the issuer's discovery document URL, which is what
// OpenAPI's openIdConnectUrl points at.
func (v *OIDCVerifier) DiscoveryURL() string {
	return strings.TrimSuffix(v.issuer, "/") + "/.well-known/openid-configuration"
}

// Discover runs discovery now, unless it has succeeded before, and reports
// its error, which wraps [ErrIssuerUnavailable].
func (v *OIDCVerifier) Discover(ctx context.Context) error {
	_, err := v.idTokenVerifier(ctx)
	return err
}

// Verify checks raw and returns the verified token. The error wraps
// [ErrInvalidCredentials] when the token is refused (and also
// *oidc.TokenExpiredError when it has expired), and [ErrIssuerUnavailable]
// when the issuer's discovery document or keys could not be fetched.
func (v *OIDCVerifier) Verify(ctx context.Context, raw string) (*oidc.IDToken, error) {
	iv, err := v.idTokenVerifier(ctx)
	if err != nil {
		return nil, err
	}
	probe := &keyFetchProbe{}
	tok, err := iv.Verify(context.WithValue(ctx, keyFetchProbeKey{}, probe), raw)
	if err == nil {
		return tok, nil
	}
	if fetchErr := probe.get(); fetchErr != nil {
		return nil, fmt.Errorf("%w: fetching the keys of %q: %w", ErrIssuerUnavailable, v.issuer, fetchErr)
	}
	return nil, fmt.Errorf("%w: %w", ErrInvalidCredentials, err)
}

// idTokenVerifier returns the go-oidc verifier, running discovery first when
// it has not succeeded yet.
func (v *OIDCVerifier) idTokenVerifier(ctx context.Context) (*oidc.IDTokenVerifier, error) {
	if iv := v.ready.Load(); iv != nil {
		return iv, nil
	}
	v.mu.Lock()
	if iv := v.ready.Load(); iv != nil {
		v.mu.Unlock()
		return iv, nil
	}
	if v.lastErr != nil && v.now().Before(v.retryAt) {
		err := v.lastErr
		v.mu.Unlock()
		return nil, err
	}
	d := v.inflight
	if d == nil {
		d = &oidcDiscovery{done: make(chan struct{})}
		v.inflight = d
		go v.discover(d)
	}
	v.mu.Unlock()
	select {
	case <-d.done:
		return d.verifier, d.err
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: waiting for discovery of %q: %w", ErrIssuerUnavailable, v.issuer, ctx.Err())
	}
}

// discover fetches the discovery document and builds the verifier. It runs
// on its own goroutine, so a caller that gives up does not cancel it for the
// others.
func (v *OIDCVerifier) discover(d *oidcDiscovery) {
	d.verifier, d.err = v.buildVerifier()
	v.mu.Lock()
	if d.err == nil {
		v.ready.Store(d.verifier)
		v.lastErr = nil
	} else {
		v.lastErr = d.err
		v.retryAt = v.now().Add(v.backoff)
	}
	v.inflight = nil
	v.mu.Unlock()
	close(d.done)
}

// buildVerifier runs discovery and returns a verifier on the issuer's JWKS.
func (v *OIDCVerifier) buildVerifier() (*oidc.IDTokenVerifier, error) {
	ctx, cancel := context.WithTimeout(v.base, oidcDiscoveryTimeout)
	defer cancel()
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, v.client), v.issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: discovery of %q: %w", ErrIssuerUnavailable, v.issuer, err)
	}
	var doc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := provider.Claims(&doc); err != nil {
		return nil, fmt.Errorf("%w: discovery of %q: %w", ErrIssuerUnavailable, v.issuer, err)
	}
	if doc.JWKSURI == "" {
		return nil, fmt.Errorf("%w: the discovery document of %q has no jwks_uri", ErrIssuerUnavailable, v.issuer)
	}
	keys := oidc.NewRemoteKeySet(oidc.ClientContext(v.base, v.client), doc.JWKSURI)
	return oidc.NewVerifier(v.issuer, probingKeySet{keys}, &oidc.Config{
		ClientID:             v.clientID,
		SkipClientIDCheck:    v.skipAudience,
		SupportedSigningAlgs: slices.Clone(v.algorithms),
		Now:                  v.now,
	}), nil
}

// keyFetchProbeKey is the context key of the probe a verification carries.
type keyFetchProbeKey struct{}

// keyFetchProbe records why the key set failed, when it failed because the
// keys could not be fetched. go-oidc flattens the key set's error into text,
// so the probe carries the cause past it.
type keyFetchProbe struct {
	mu  sync.Mutex
	err error
}

func (p *keyFetchProbe) set(err error) {
	p.mu.Lock()
	p.err = err
	p.mu.Unlock()
}

func (p *keyFetchProbe) get() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// probingKeySet wraps go-oidc's RemoteKeySet. RemoteKeySet wraps (with %w)
// only the error of a failed key fetch; a bad signature, an unknown key and
// a malformed token come back as plain errors. So an error that unwraps
// means the issuer's keys were unavailable.
type probingKeySet struct {
	inner oidc.KeySet
}

// VerifySignature implements oidc.KeySet.
func (k probingKeySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	payload, err := k.inner.VerifySignature(ctx, jwt)
	if err != nil && errors.Unwrap(err) != nil {
		if p, ok := ctx.Value(keyFetchProbeKey{}).(*keyFetchProbe); ok {
			p.set(err)
		}
	}
	return payload, err
}

// OpenIdConnect is the OpenAPI openIdConnect security scheme: the client
// sends "Authorization: Bearer <token>" with a token from an OpenID Connect
// issuer, and the scheme verifies it through the issuer's discovery document
// and JWKS with Verifier (see [OIDCVerifier] for the checks).
//
// A missing token is refused with 401 and "WWW-Authenticate: Bearer"; an
// invalid, expired, foreign or wrongly addressed token with 401 and
// `Bearer error="invalid_token"`, in optional mode too. When the issuer
// cannot be reached, Authenticate returns an error wrapping
// [ErrIssuerUnavailable] that is not a refusal, so the framework answers 500:
// the client's token may be fine.
//
// The configured value is safe for concurrent use; Authenticate returns a
// copy that carries the token and its verified claims.
type OpenIdConnect struct { //nolint:revive // named after the OpenAPI type openIdConnect
	// SchemeID names the scheme in components.securitySchemes. When empty,
	// the framework names it after the Go type.
	SchemeID string
	// Description documents the scheme in OpenAPI.
	Description string
	// OpenIDConnectURL is the discovery document URL that OpenAPI documents as
	// openIdConnectUrl. When empty, the Verifier's DiscoveryURL is used.
	OpenIDConnectURL string
	// Verifier verifies tokens. It is required; share one per issuer.
	Verifier *OIDCVerifier
	// Scopes documents the scopes the issuer grants. They are not sent to the
	// issuer; routes require them, and [OpenIdConnect.GrantedScopes] reads
	// what a token grants.
	Scopes Scopes
	// Realm, when set, is sent as the realm parameter of the challenge.
	Realm string
	// Optional lets a request without a bearer token through, with Present
	// reporting false. A token that is sent is verified, and refused when bad.
	Optional bool

	token   string
	subject string
	claims  []byte
	granted []string
}

// SchemeName returns SchemeID.
func (s OpenIdConnect) SchemeName() string { return s.SchemeID }

// OpenAPI describes the scheme as type openIdConnect with its discovery URL.
func (s OpenIdConnect) OpenAPI() *openapi3.SecurityScheme {
	u := s.OpenIDConnectURL
	if u == "" && s.Verifier != nil {
		u = s.Verifier.DiscoveryURL()
	}
	return &openapi3.SecurityScheme{Type: "openIdConnect", OpenIdConnectUrl: u, Description: s.Description}
}

// ScopeNames returns the names of Scopes, sorted.
func (s OpenIdConnect) ScopeNames() []string {
	names := make([]string, 0, len(s.Scopes))
	for name := range s.Scopes {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Validate reports a scheme that cannot work: one without a Verifier. The
// error wraps [ErrSchemeMisconfigured]; Authenticate returns it too.
func (s OpenIdConnect) Validate() error {
	if s.Verifier == nil {
		return fmt.Errorf("OpenIdConnect %q: Verifier is nil (set it with NewOIDCVerifier): %w", s.SchemeID, ErrSchemeMisconfigured)
	}
	return nil
}

// HandlerFunc returns s as gin middleware; see [HandlerFunc].
func (s OpenIdConnect) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }

// Present reports whether the value carries a verified token.
func (s OpenIdConnect) Present() bool { return s.token != "" }

// Token returns the verified token as sent, or "".
func (s OpenIdConnect) Token() string { return s.token }

// Subject returns the token's "sub" claim, or "".
func (s OpenIdConnect) Subject() string { return s.subject }

// GrantedScopes returns the scopes of the token's "scope" claim, a
// space-separated string (a JSON array of strings is accepted too). It is
// nil when the claim is absent or has another type.
func (s OpenIdConnect) GrantedScopes() []string { return slices.Clone(s.granted) }

// Claims unmarshals the token's verified claims into v, as encoding/json
// does. It fails when the value carries no token.
func (s OpenIdConnect) Claims(v any) error {
	if s.claims == nil {
		return fmt.Errorf("security: OpenIdConnect has no verified token: %w", ErrNoCredentials)
	}
	if err := json.Unmarshal(s.claims, v); err != nil {
		return fmt.Errorf("security: OpenIdConnect claims: %w", err)
	}
	return nil
}

// Authenticate reads the bearer token of r (RFC 6750 section 2.1) and
// verifies it with Verifier.
func (s OpenIdConnect) Authenticate(r *http.Request) (Scheme, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	raw, err := authenticateBearer(r, s.Optional, s.Realm)
	if err != nil {
		return nil, err
	}
	if raw == "" {
		return s, nil
	}
	tok, err := s.Verifier.Verify(r.Context(), raw)
	if err != nil {
		if !errors.Is(err, ErrInvalidCredentials) {
			return nil, fmt.Errorf("security: OpenIdConnect %q: %w", s.SchemeID, err)
		}
		detail := "the token is invalid"
		if _, expired := errors.AsType[*oidc.TokenExpiredError](err); expired {
			detail = "the token has expired"
		}
		return nil, Unauthorized(ErrInvalidCredentials, detail, BearerChallenge(s.Realm, "invalid_token", detail, ""))
	}
	var claims json.RawMessage
	if err := tok.Claims(&claims); err != nil {
		return nil, fmt.Errorf("security: OpenIdConnect %q: reading verified claims: %w", s.SchemeID, err)
	}
	s.token = raw
	s.subject = tok.Subject
	s.claims = claims
	s.granted = scopeClaim(claims)
	return s, nil
}

// scopeClaim reads the "scope" claim as a space-separated string or as an
// array of strings.
func scopeClaim(claims []byte) []string {
	var c struct {
		Scope json.RawMessage `json:"scope"`
	}
	if json.Unmarshal(claims, &c) != nil || len(c.Scope) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(c.Scope, &s) == nil {
		return ParseScope(s)
	}
	var list []string
	if json.Unmarshal(c.Scope, &list) == nil {
		return ParseScope(strings.Join(list, " "))
	}
	return nil
}
