package security

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
)

// oidcTestKey is a signing key with its key id.
type oidcTestKey struct {
	kid  string
	alg  jwt.SigningMethod
	priv any // *rsa.PrivateKey or *ecdsa.PrivateKey
}

// jwk returns the public key as a JWK.
func (k oidcTestKey) jwk() map[string]string {
	switch priv := k.priv.(type) {
	case *rsa.PrivateKey:
		return map[string]string{
			"kty": "RSA", "kid": k.kid, "use": "sig", "alg": k.alg.Alg(),
			"n": base64.RawURLEncoding.EncodeToString(priv.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(priv.E)).Bytes()),
		}
	case *ecdsa.PrivateKey:
		pub, err := priv.PublicKey.ECDH()
		if err != nil {
			panic(err)
		}
		raw := pub.Bytes() // 0x04 || X || Y
		size := (len(raw) - 1) / 2
		return map[string]string{
			"kty": "EC", "kid": k.kid, "use": "sig", "alg": k.alg.Alg(), "crv": "P-256",
			"x": base64.RawURLEncoding.EncodeToString(raw[1 : 1+size]),
			"y": base64.RawURLEncoding.EncodeToString(raw[1+size:]),
		}
	}
	panic("unknown key type")
}

// Keys are slow to make; the tests share a few.
var (
	oidcKeysOnce sync.Once
	oidcRSA1     oidcTestKey
	oidcRSA2     oidcTestKey
	oidcRSAOther oidcTestKey // never published
	oidcEC       oidcTestKey
)

func oidcKeys(t *testing.T) {
	t.Helper()
	oidcKeysOnce.Do(func() {
		mk := func(kid string) oidcTestKey {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			return oidcTestKey{kid: kid, alg: jwt.SigningMethodRS256, priv: k}
		}
		oidcRSA1, oidcRSA2, oidcRSAOther = mk("rsa-1"), mk("rsa-2"), mk("rsa-1")
		ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		oidcEC = oidcTestKey{kid: "ec-1", alg: jwt.SigningMethodES256, priv: ec}
	})
}

// oidcTestIssuer is an OpenID Connect issuer on loopback: a discovery
// document, a JWKS whose keys the test can rotate, and request counters.
type oidcTestIssuer struct {
	srv         *httptest.Server
	discoveries atomic.Int32
	jwksFetches atomic.Int32
	failing     atomic.Bool // answer discovery with 503
	jwksFailing atomic.Bool // answer the JWKS with 503

	mu   sync.Mutex
	keys []oidcTestKey
}

func newOIDCTestIssuer(t *testing.T, keys ...oidcTestKey) *oidcTestIssuer {
	t.Helper()
	is := &oidcTestIssuer{keys: keys}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		is.discoveries.Add(1)
		if is.failing.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                is.srv.URL,
			"jwks_uri":                              is.srv.URL + "/jwks",
			"authorization_endpoint":                is.srv.URL + "/authorize",
			"token_endpoint":                        is.srv.URL + "/token",
			"id_token_signing_alg_values_supported": []string{"RS256", "ES256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		is.jwksFetches.Add(1)
		if is.jwksFailing.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		is.mu.Lock()
		jwks := make([]map[string]string, 0, len(is.keys))
		for _, k := range is.keys {
			jwks = append(jwks, k.jwk())
		}
		is.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": jwks})
	})
	is.srv = httptest.NewServer(mux)
	t.Cleanup(is.srv.Close)
	return is
}

// rotate replaces the published keys.
func (is *oidcTestIssuer) rotate(keys ...oidcTestKey) {
	is.mu.Lock()
	is.keys = keys
	is.mu.Unlock()
}

// oidcTestNow is the verifiers' clock in these tests.
var oidcTestNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const oidcTestClient = "portcullis-api"

// sign makes a token signed with k, with the standard claims of a token from
// is for oidcTestClient, changed by edit.
func (is *oidcTestIssuer) sign(t *testing.T, k oidcTestKey, edit func(jwt.MapClaims)) string {
	t.Helper()
	claims := jwt.MapClaims{
		"iss":   is.srv.URL,
		"sub":   "johndoe",
		"aud":   oidcTestClient,
		"iat":   oidcTestNow.Add(-time.Minute).Unix(),
		"exp":   oidcTestNow.Add(time.Hour).Unix(),
		"scope": "openid me items",
		"email": "johndoe@example.com",
	}
	if edit != nil {
		edit(claims)
	}
	tok := jwt.NewWithClaims(k.alg, claims)
	tok.Header["kid"] = k.kid
	s, err := tok.SignedString(k.priv)
	if err != nil {
		t.Fatalf("signing: %v", err)
	}
	return s
}

// verifier returns a verifier for is and oidcTestClient with the test clock.
func (is *oidcTestIssuer) verifier(t *testing.T, opts ...OIDCOption) *OIDCVerifier {
	t.Helper()
	return is.verifierFor(t, oidcTestClient, opts...)
}

// verifierFor returns a verifier for is and clientID with the test clock.
func (is *oidcTestIssuer) verifierFor(t *testing.T, clientID string, opts ...OIDCOption) *OIDCVerifier {
	t.Helper()
	opts = append([]OIDCOption{
		WithOIDCHTTPClient(is.srv.Client()),
		WithOIDCClock(func() time.Time { return oidcTestNow }),
	}, opts...)
	v, err := NewOIDCVerifier(context.Background(), is.srv.URL, clientID, opts...)
	if err != nil {
		t.Fatalf("NewOIDCVerifier: %v", err)
	}
	return v
}

func bearerRequest(token string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/me", nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}

func TestOpenIdConnectAuthenticate(t *testing.T) {
	oidcKeys(t)
	is := newOIDCTestIssuer(t, oidcRSA1, oidcEC)

	tamper := func(tok string) string {
		parts := strings.Split(tok, ".")
		sig := []byte(parts[2])
		if sig[10] == 'A' {
			sig[10] = 'B'
		} else {
			sig[10] = 'A'
		}
		return parts[0] + "." + parts[1] + "." + string(sig)
	}
	swapPayload := func(tok string) string {
		other := is.sign(t, oidcRSA1, func(c jwt.MapClaims) { c["sub"] = "admin" })
		parts, otherParts := strings.Split(tok, "."), strings.Split(other, ".")
		return parts[0] + "." + otherParts[1] + "." + parts[2]
	}
	none := func(edit func(jwt.MapClaims)) string {
		claims := jwt.MapClaims{
			"iss": is.srv.URL, "sub": "johndoe", "aud": oidcTestClient,
			"exp": oidcTestNow.Add(time.Hour).Unix(),
		}
		tok := jwt.NewWithClaims(jwt.SigningMethodNone, claims)
		tok.Header["kid"] = oidcRSA1.kid
		s, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	hmacWithPublicKey := func() string {
		der, err := x509.MarshalPKIXPublicKey(&oidcRSA1.priv.(*rsa.PrivateKey).PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
		k := oidcTestKey{kid: oidcRSA1.kid, alg: jwt.SigningMethodHS256, priv: pemKey}
		return is.sign(t, k, nil)
	}

	tests := []struct {
		name         string
		token        string // sent as "Bearer <token>"; empty sends none
		header       string // a raw Authorization header instead
		optional     bool
		opts         []OIDCOption
		skipAudience bool // verify with UnsafeSkipAudienceCheck and no client id
		wantErr      error
		wantDetail   string
		wantPresent  bool
		wantSubject  string
		wantScopes   []string
	}{
		{
			name: "valid RS256", token: is.sign(t, oidcRSA1, nil),
			wantPresent: true, wantSubject: "johndoe", wantScopes: []string{"openid", "me", "items"},
		},
		{
			name: "valid ES256", token: is.sign(t, oidcEC, nil),
			wantPresent: true, wantSubject: "johndoe", wantScopes: []string{"openid", "me", "items"},
		},
		{
			name: "audience list containing the client", wantPresent: true, wantSubject: "johndoe",
			token:      is.sign(t, oidcRSA1, func(c jwt.MapClaims) { c["aud"] = []string{"other", oidcTestClient} }),
			wantScopes: []string{"openid", "me", "items"},
		},
		{
			name: "scope claim as an array", wantPresent: true, wantSubject: "johndoe",
			token:      is.sign(t, oidcRSA1, func(c jwt.MapClaims) { c["scope"] = []string{"me", "me", "items"} }),
			wantScopes: []string{"me", "items"},
		},
		{
			name: "no scope claim", wantPresent: true, wantSubject: "johndoe",
			token: is.sign(t, oidcRSA1, func(c jwt.MapClaims) { delete(c, "scope") }),
		},
		{
			name:    "expired",
			token:   is.sign(t, oidcRSA1, func(c jwt.MapClaims) { c["exp"] = oidcTestNow.Add(-time.Second).Unix() }),
			wantErr: ErrInvalidCredentials, wantDetail: "the token has expired",
		},
		{
			name:    "no expiry",
			token:   is.sign(t, oidcRSA1, func(c jwt.MapClaims) { delete(c, "exp") }),
			wantErr: ErrInvalidCredentials, wantDetail: "the token has expired",
		},
		{
			name:    "not yet valid",
			token:   is.sign(t, oidcRSA1, func(c jwt.MapClaims) { c["nbf"] = oidcTestNow.Add(time.Hour).Unix() }),
			wantErr: ErrInvalidCredentials, wantDetail: "the token is invalid",
		},
		{
			name:    "wrong issuer",
			token:   is.sign(t, oidcRSA1, func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }),
			wantErr: ErrInvalidCredentials, wantDetail: "the token is invalid",
		},
		{
			name:    "wrong audience",
			token:   is.sign(t, oidcRSA1, func(c jwt.MapClaims) { c["aud"] = "another-client" }),
			wantErr: ErrInvalidCredentials, wantDetail: "the token is invalid",
		},
		{
			name: "wrong audience with UnsafeSkipAudienceCheck", skipAudience: true,
			token:       is.sign(t, oidcRSA1, func(c jwt.MapClaims) { c["aud"] = "another-client" }),
			wantPresent: true, wantSubject: "johndoe", wantScopes: []string{"openid", "me", "items"},
		},
		{
			name: "tampered signature", token: tamper(is.sign(t, oidcRSA1, nil)),
			wantErr: ErrInvalidCredentials, wantDetail: "the token is invalid",
		},
		{
			name: "payload of another token", token: swapPayload(is.sign(t, oidcRSA1, nil)),
			wantErr: ErrInvalidCredentials, wantDetail: "the token is invalid",
		},
		{
			name: "signed by an unpublished key with a known kid", token: is.sign(t, oidcRSAOther, nil),
			wantErr: ErrInvalidCredentials, wantDetail: "the token is invalid",
		},
		{
			name: "alg none", token: none(nil),
			wantErr: ErrInvalidCredentials, wantDetail: "the token is invalid",
		},
		{
			name: "HS256 keyed with the public key", token: hmacWithPublicKey(),
			wantErr: ErrInvalidCredentials, wantDetail: "the token is invalid",
		},
		{
			name: "ES256 not allowed", token: is.sign(t, oidcEC, nil), opts: []OIDCOption{WithOIDCAlgorithms("RS256")},
			wantErr: ErrInvalidCredentials, wantDetail: "the token is invalid",
		},
		{
			name: "not a JWT", token: "abc.def",
			wantErr: ErrInvalidCredentials, wantDetail: "the token is invalid",
		},
		{name: "missing token", wantErr: ErrNoCredentials},
		{name: "Basic credentials", header: "Basic am9objpzZWNyZXQ=", wantErr: ErrNoCredentials},
		{name: "Bearer without a token", header: "Bearer ", wantErr: ErrMalformedCredentials},
		{name: "Bearer with a bad character", header: "Bearer a\"b", wantErr: ErrMalformedCredentials},
		{name: "optional, missing token", optional: true},
		{name: "optional, Basic credentials", optional: true, header: "Basic am9objpzZWNyZXQ="},
		{
			name: "optional, valid token", optional: true, token: is.sign(t, oidcRSA1, nil),
			wantPresent: true, wantSubject: "johndoe", wantScopes: []string{"openid", "me", "items"},
		},
		{
			name: "optional, expired token", optional: true, wantErr: ErrInvalidCredentials, wantDetail: "the token has expired",
			token: is.sign(t, oidcRSA1, func(c jwt.MapClaims) { c["exp"] = oidcTestNow.Add(-time.Hour).Unix() }),
		},
		{name: "optional, malformed", optional: true, header: "Bearer ", wantErr: ErrMalformedCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := is.verifier(t, tt.opts...)
			if tt.skipAudience {
				v = is.verifierFor(t, "", append(tt.opts, UnsafeSkipAudienceCheck())...)
			}
			s := OpenIdConnect{Verifier: v, Optional: tt.optional}
			r := bearerRequest(tt.token)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			got, err := s.Authenticate(r)
			if tt.wantErr != nil {
				var se *Error
				if !errors.As(err, &se) || !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want a refusal wrapping %v", err, tt.wantErr)
				}
				if se.Status != http.StatusUnauthorized {
					t.Fatalf("status = %d, want 401", se.Status)
				}
				wantChallenge := "Bearer"
				if tt.wantErr != ErrNoCredentials {
					wantChallenge = `Bearer error="invalid_token"`
				}
				if len(se.Challenges) != 1 || !strings.HasPrefix(se.Challenges[0], wantChallenge) {
					t.Fatalf("challenges = %q, want %s", se.Challenges, wantChallenge)
				}
				if tt.wantErr == ErrNoCredentials && se.Challenges[0] != "Bearer" {
					t.Fatalf("challenge = %q, want a bare Bearer", se.Challenges[0])
				}
				if tt.wantDetail != "" && se.Detail != tt.wantDetail {
					t.Fatalf("detail = %q, want %q", se.Detail, tt.wantDetail)
				}
				return
			}
			if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			o := got.(OpenIdConnect)
			if o.Present() != tt.wantPresent || o.Subject() != tt.wantSubject {
				t.Fatalf("Present = %v, Subject = %q; want %v, %q", o.Present(), o.Subject(), tt.wantPresent, tt.wantSubject)
			}
			if !slices.Equal(o.GrantedScopes(), tt.wantScopes) {
				t.Fatalf("GrantedScopes = %q, want %q", o.GrantedScopes(), tt.wantScopes)
			}
			if !tt.wantPresent {
				if o.Token() != "" || o.Claims(&struct{}{}) == nil {
					t.Fatal("an absent credential has a token or claims")
				}
				return
			}
			if o.Token() != tt.token {
				t.Fatal("Token is not the token that was sent")
			}
			var claims struct {
				Email string `json:"email"`
				Sub   string `json:"sub"`
			}
			if err := o.Claims(&claims); err != nil || claims.Email != "johndoe@example.com" || claims.Sub != "johndoe" {
				t.Fatalf("Claims = %+v, %v", claims, err)
			}
			if s.Present() {
				t.Fatal("Authenticate changed the configured value")
			}
		})
	}
}

func TestOIDCVerifierDiscoversOnceAndLazily(t *testing.T) {
	oidcKeys(t)
	is := newOIDCTestIssuer(t, oidcRSA1)
	v := is.verifier(t)
	if n := is.discoveries.Load(); n != 0 {
		t.Fatalf("NewOIDCVerifier made %d discovery requests, want 0", n)
	}
	s := OpenIdConnect{Verifier: v}
	tok := is.sign(t, oidcRSA1, nil)

	const workers, perWorker = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				if _, err := s.Authenticate(bearerRequest(tok)); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Authenticate: %v", err)
	}
	if n := is.discoveries.Load(); n != 1 {
		t.Fatalf("%d discovery requests for %d verifications, want 1", n, workers*perWorker)
	}
	if n := is.jwksFetches.Load(); n != 1 {
		t.Fatalf("%d JWKS requests, want 1", n)
	}
}

func TestOIDCVerifierKeyRotation(t *testing.T) {
	oidcKeys(t)
	is := newOIDCTestIssuer(t, oidcRSA1)
	s := OpenIdConnect{Verifier: is.verifier(t)}

	steps := []struct {
		name        string
		key         oidcTestKey
		rotateTo    []oidcTestKey
		wantErr     error
		wantFetches int32
	}{
		{name: "first key", key: oidcRSA1, wantFetches: 1},
		{name: "first key again, cached", key: oidcRSA1, wantFetches: 1},
		{name: "new kid is fetched", key: oidcRSA2, rotateTo: []oidcTestKey{oidcRSA1, oidcRSA2}, wantFetches: 2},
		{name: "new kid again, cached", key: oidcRSA2, wantFetches: 2},
		{name: "retired key still trusted from the cache", key: oidcRSA1, rotateTo: []oidcTestKey{oidcRSA2},
			wantFetches: 2},
		{name: "unknown kid makes a refetch and is refused", key: oidcTestKey{kid: "nope", alg: jwt.SigningMethodRS256, priv: oidcRSA2.priv},
			wantErr: ErrInvalidCredentials, wantFetches: 3},
		{name: "retired key is refused after the refetch", key: oidcRSA1,
			wantErr: ErrInvalidCredentials, wantFetches: 4},
		{name: "current key still works", key: oidcRSA2, wantFetches: 4},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.rotateTo != nil {
				is.rotate(st.rotateTo...)
			}
			tok := is.sign(t, st.key, nil)
			oidcSettle(t, func() string {
				_, err := s.Authenticate(bearerRequest(tok))
				if st.wantErr == nil && err != nil || st.wantErr != nil && !errors.Is(err, st.wantErr) {
					return fmt.Sprintf("err = %v, want %v", err, st.wantErr)
				}
				if n := is.jwksFetches.Load(); n != st.wantFetches {
					return fmt.Sprintf("JWKS fetched %d times, want %d", n, st.wantFetches)
				}
				return ""
			})
		})
	}
	if n := is.discoveries.Load(); n != 1 {
		t.Fatalf("%d discovery requests, want 1", n)
	}
}

func TestOIDCVerifierIssuerUnavailable(t *testing.T) {
	oidcKeys(t)
	is := newOIDCTestIssuer(t, oidcRSA1)
	is.failing.Store(true)
	now := oidcTestNow
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	s := OpenIdConnect{Verifier: is.verifier(t, WithOIDCClock(clock), WithOIDCRetryBackoff(time.Minute))}
	tok := is.sign(t, oidcRSA1, nil)

	steps := []struct {
		name            string
		before          func()
		wantUnavailable bool
		wantDiscoveries int32
	}{
		{name: "discovery fails", wantUnavailable: true, wantDiscoveries: 1},
		{name: "within the backoff, no new request", before: func() { is.failing.Store(false) },
			wantUnavailable: true, wantDiscoveries: 1},
		{name: "after the backoff, discovery is retried", before: func() { advance(time.Minute + time.Second) },
			wantDiscoveries: 2},
		{name: "then it is cached", wantDiscoveries: 2},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.before != nil {
				st.before()
			}
			_, err := s.Authenticate(bearerRequest(tok))
			if st.wantUnavailable {
				var se *Error
				if errors.As(err, &se) || !errors.Is(err, ErrIssuerUnavailable) {
					t.Fatalf("err = %v, want a plain error wrapping ErrIssuerUnavailable", err)
				}
			} else if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			if n := is.discoveries.Load(); n != st.wantDiscoveries {
				t.Fatalf("%d discovery requests, want %d", n, st.wantDiscoveries)
			}
		})
	}
}

func TestOIDCVerifierJWKSUnavailable(t *testing.T) {
	oidcKeys(t)
	is := newOIDCTestIssuer(t, oidcRSA1)
	is.jwksFailing.Store(true)
	s := OpenIdConnect{Verifier: is.verifier(t)}

	_, err := s.Authenticate(bearerRequest(is.sign(t, oidcRSA1, nil)))
	var se *Error
	if errors.As(err, &se) || !errors.Is(err, ErrIssuerUnavailable) {
		t.Fatalf("err = %v, want a plain error wrapping ErrIssuerUnavailable", err)
	}

	is.jwksFailing.Store(false)
	tok := is.sign(t, oidcRSA1, nil)
	oidcSettle(t, func() string {
		if _, err := s.Authenticate(bearerRequest(tok)); err != nil {
			return fmt.Sprintf("after the JWKS is back: %v", err)
		}
		return ""
	})
}

// oidcSettle runs attempt until it reports no problem, and fails the test
// with the last problem after 2000 attempts a millisecond apart.
//
// go-oidc's RemoteKeySet hands a JWKS fetch's result to the waiting
// verification a moment before its background goroutine stores the keys in
// its cache and clears the fetch. A verification in that moment still sees
// the previous keys, or reuses the finished fetch's result (its error too)
// without fetching. Each assertion that follows a fetch therefore gets a few
// attempts: an attempt in that moment changes nothing, and the first one
// after it shows the settled behaviour, which must be the wanted one.
func oidcSettle(t *testing.T, attempt func() string) {
	t.Helper()
	var problem string
	for range 2000 {
		if problem = attempt(); problem == "" {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal(problem)
}

func TestOIDCVerifierWaitCanBeCancelled(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		http.Error(w, "late", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	defer close(release)
	v, err := NewOIDCVerifier(context.Background(), srv.URL, oidcTestClient, WithOIDCHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := v.Discover(ctx); !errors.Is(err, ErrIssuerUnavailable) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Discover with a cancelled context = %v", err)
	}
}

func TestNewOIDCVerifierConfig(t *testing.T) {
	tests := []struct {
		name     string
		issuer   string
		clientID string
		opts     []OIDCOption
		want     string // a part of the error; empty for success
	}{
		{name: "good", issuer: "https://id.example", clientID: "api"},
		{name: "good, skipping the audience", issuer: "https://id.example", opts: []OIDCOption{UnsafeSkipAudienceCheck()}},
		{name: "good, PS256 and EdDSA", issuer: "https://id.example", clientID: "api", opts: []OIDCOption{WithOIDCAlgorithms("PS256", "EdDSA")}},
		{name: "empty issuer", clientID: "api", want: "the issuer URL is empty"},
		{name: "empty client id", issuer: "https://id.example", want: "the client id is empty"},
		{name: "client id and skip", issuer: "https://id.example", clientID: "api",
			opts: []OIDCOption{UnsafeSkipAudienceCheck()}, want: "contradict"},
		{name: "HS256", issuer: "https://id.example", clientID: "api", opts: []OIDCOption{WithOIDCAlgorithms("HS256")},
			want: `algorithm "HS256" is not allowed`},
		{name: "none", issuer: "https://id.example", clientID: "api", opts: []OIDCOption{WithOIDCAlgorithms("none")},
			want: `algorithm "none" is not allowed`},
		{name: "no algorithm", issuer: "https://id.example", clientID: "api", opts: []OIDCOption{WithOIDCAlgorithms()},
			want: "no signature algorithm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewOIDCVerifier(context.Background(), tt.issuer, tt.clientID, tt.opts...)
			if tt.want == "" {
				if err != nil || v == nil {
					t.Fatalf("NewOIDCVerifier = %v, %v", v, err)
				}
				return
			}
			if !errors.Is(err, ErrSchemeMisconfigured) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q wrapping ErrSchemeMisconfigured", err, tt.want)
			}
		})
	}
}

func TestOpenIdConnectMisconfigured(t *testing.T) {
	s := OpenIdConnect{SchemeID: "oidc"}
	if err := s.Validate(); !errors.Is(err, ErrSchemeMisconfigured) {
		t.Fatalf("Validate = %v", err)
	}
	_, err := s.Authenticate(bearerRequest("abc"))
	var se *Error
	if errors.As(err, &se) || !errors.Is(err, ErrSchemeMisconfigured) {
		t.Fatalf("Authenticate = %v, want a plain error wrapping ErrSchemeMisconfigured", err)
	}
}

func TestOpenIdConnectOpenAPI(t *testing.T) {
	v, err := NewOIDCVerifier(context.Background(), "https://id.example/realms/x/", "api")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		scheme  OpenIdConnect
		wantURL string
	}{
		{name: "explicit URL", scheme: OpenIdConnect{OpenIDConnectURL: "https://other.example/.well-known/openid-configuration", Verifier: v},
			wantURL: "https://other.example/.well-known/openid-configuration"},
		{name: "URL from the verifier", scheme: OpenIdConnect{Verifier: v},
			wantURL: "https://id.example/realms/x/.well-known/openid-configuration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.scheme.Description = "Sign in with the issuer"
			a, b := tt.scheme.OpenAPI(), tt.scheme.OpenAPI()
			if a == b {
				t.Fatal("OpenAPI returned the same pointer twice")
			}
			if a.Type != "openIdConnect" || a.OpenIdConnectUrl != tt.wantURL || a.Description != "Sign in with the issuer" {
				t.Fatalf("OpenAPI = %+v", a)
			}
			if err := a.Validate(context.Background()); err != nil {
				t.Fatalf("kin-openapi Validate: %v", err)
			}
		})
	}
	t.Run("scope names", func(t *testing.T) {
		s := OpenIdConnect{SchemeID: "oidc", Scopes: Scopes{"openid": "", "me": "You", "items": "Items"}}
		if got := s.ScopeNames(); !slices.Equal(got, []string{"items", "me", "openid"}) {
			t.Fatalf("ScopeNames = %q", got)
		}
		if s.SchemeName() != "oidc" {
			t.Fatalf("SchemeName = %q", s.SchemeName())
		}
	})
}

// TestOpenIdConnectOverHTTP runs the scheme as gin middleware behind a real
// HTTP server.
func TestOpenIdConnectOverHTTP(t *testing.T) {
	oidcKeys(t)
	gin.SetMode(gin.TestMode)
	is := newOIDCTestIssuer(t, oidcRSA1)
	s := OpenIdConnect{Verifier: is.verifier(t)}
	engine := gin.New()
	engine.GET("/me", s.HandlerFunc(), func(c *gin.Context) {
		o, _ := From[OpenIdConnect](c)
		c.String(http.StatusOK, o.Subject())
	})
	srv := httptest.NewServer(engine)
	defer srv.Close()

	tests := []struct {
		name          string
		token         string
		wantStatus    int
		wantChallenge string
	}{
		{name: "valid", token: is.sign(t, oidcRSA1, nil), wantStatus: http.StatusOK},
		{name: "missing", wantStatus: http.StatusUnauthorized, wantChallenge: "Bearer"},
		{name: "wrong audience", token: is.sign(t, oidcRSA1, func(c jwt.MapClaims) { c["aud"] = "x" }),
			wantStatus: http.StatusUnauthorized, wantChallenge: `Bearer error="invalid_token", error_description="the token is invalid"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/me", nil)
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != tt.wantChallenge {
				t.Fatalf("WWW-Authenticate = %q, want %q", got, tt.wantChallenge)
			}
			if tt.wantStatus != http.StatusOK && fmt.Sprint(body["detail"]) == "" {
				t.Fatalf("problem body without detail: %v", body)
			}
		})
	}
}

// The OpenIdConnect entry of the conformance suite. Its issuer lives in
// memory: the verifier's HTTP client hands requests straight to a handler,
// so the suite's table can be built before any server listens.
const confOIDCIssuer = "https://issuer.test"

var (
	confOIDCKey       = newConfOIDCKey()
	confOIDC          = OpenIdConnect{SchemeID: "openIdConnect", Description: "Sign in with the issuer.", Verifier: newConfOIDCVerifier()}
	confOIDCToken     = confOIDCSign(oidcTestClient)
	confOIDCBadAud    = confOIDCSign("another-client")
	confOIDCChallenge = `Bearer error="invalid_token", error_description="the token is invalid"`
)

func newConfOIDCKey() oidcTestKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return oidcTestKey{kid: "conf-ec", alg: jwt.SigningMethodES256, priv: k}
}

// confOIDCTransport serves HTTP requests with a handler in memory.
type confOIDCTransport struct{ h http.Handler }

// RoundTrip implements http.RoundTripper.
func (t confOIDCTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

func newConfOIDCVerifier() *OIDCVerifier {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": confOIDCIssuer, "jwks_uri": confOIDCIssuer + "/jwks"})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{confOIDCKey.jwk()}})
	})
	v, err := NewOIDCVerifier(context.Background(), confOIDCIssuer, oidcTestClient,
		WithOIDCHTTPClient(&http.Client{Transport: confOIDCTransport{mux}}),
		WithOIDCClock(func() time.Time { return oidcTestNow }))
	if err != nil {
		panic(err)
	}
	return v
}

// confOIDCSign returns a token of the in-memory issuer for audience.
func confOIDCSign(audience string) string {
	tok := jwt.NewWithClaims(confOIDCKey.alg, jwt.MapClaims{
		"iss": confOIDCIssuer, "sub": confUser, "aud": audience, "exp": oidcTestNow.Add(time.Hour).Unix(),
	})
	tok.Header["kid"] = confOIDCKey.kid
	s, err := tok.SignedString(confOIDCKey.priv)
	if err != nil {
		panic(err)
	}
	return s
}
