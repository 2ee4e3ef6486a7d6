package token_test

import (
	"encoding/base64"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/portcullis/portcullis/security/token"
)

const (
	testIssuer   = "https://auth.example.test"
	testAudience = "https://api.example.test"
)

// t0 is the fixed time tests start their clocks at.
var t0 = time.Date(2030, time.January, 2, 3, 4, 5, 0, time.UTC)

// clock is a settable clock for injection into issuers and verifiers.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// RSA keys take a while to generate, so the tests share a few.
var (
	rsaOnce sync.Once
	rsaKeys [2]token.Key
	rsaErr  error
)

// rsaKey returns shared RSA key number i (0 or 1).
func rsaKey(t testing.TB, i int) token.Key {
	t.Helper()
	rsaOnce.Do(func() {
		for n := range rsaKeys {
			if rsaKeys[n], rsaErr = token.GenerateKey(token.RS256); rsaErr != nil {
				return
			}
		}
	})
	if rsaErr != nil {
		t.Fatal(rsaErr)
	}
	return rsaKeys[i]
}

func hmacKey(t testing.TB, id string, fill byte) token.Key {
	t.Helper()
	secret := make([]byte, 32)
	for i := range secret {
		secret[i] = fill + byte(i)
	}
	k, err := token.NewHMACKey(id, secret)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func generate(t testing.TB, alg string) token.Key {
	t.Helper()
	if alg == token.RS256 {
		return rsaKey(t, 0)
	}
	k, err := token.GenerateKey(alg)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func keySet(t testing.TB, signing token.Key, others ...token.Key) *token.KeySet {
	t.Helper()
	ks, err := token.NewKeySet(signing, others...)
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func verifier(t testing.TB, ks *token.KeySet, c *clock, algs ...string) *token.Verifier {
	t.Helper()
	v, err := token.NewVerifier(token.VerifierConfig{
		Issuer: testIssuer, Audience: testAudience, Algorithms: algs, Keys: ks, Now: c.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func issuer(t testing.TB, ks *token.KeySet, c *clock) *token.Issuer {
	t.Helper()
	i, err := token.NewIssuer(token.IssuerConfig{
		Issuer: testIssuer, Audience: []string{testAudience}, Keys: ks, Now: c.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// validClaims are the claims of a token that passes every check at t0.
func validClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":   testIssuer,
		"sub":   "alice",
		"aud":   []string{testAudience},
		"exp":   t0.Add(5 * time.Minute).Unix(),
		"iat":   t0.Unix(),
		"nbf":   t0.Unix(),
		"jti":   "jti-1",
		"scope": "me items",
	}
}

// signed signs claims with the jwt library, with kid in the header unless
// it is empty.
func signed(t testing.TB, method jwt.SigningMethod, kid string, claims jwt.MapClaims, key any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	raw, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// signWith signs claims with k as k's algorithm prescribes.
func signWith(t testing.TB, k token.Key, claims jwt.MapClaims) string {
	t.Helper()
	return signed(t, jwt.GetSigningMethod(k.Algorithm), k.ID, claims, k.Private)
}

// handMade assembles a compact JWS from a header, claims and signature
// without the jwt library.
func handMade(t testing.TB, header map[string]any, claims jwt.MapClaims, sig []byte) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(header) + "." + enc(claims) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// without returns a copy of claims without the named claims.
func without(claims jwt.MapClaims, names ...string) jwt.MapClaims {
	out := jwt.MapClaims{}
	for k, v := range claims {
		out[k] = v
	}
	for _, n := range names {
		delete(out, n)
	}
	return out
}

// with returns a copy of claims with name set to value.
func with(claims jwt.MapClaims, name string, value any) jwt.MapClaims {
	out := without(claims)
	out[name] = value
	return out
}

// withHeader signs claims like signed, with one more JOSE header.
func withHeader(t testing.TB, method jwt.SigningMethod, kid, name string, value any, claims jwt.MapClaims, key any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = kid
	tok.Header[name] = value
	raw, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
