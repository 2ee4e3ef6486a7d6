package token_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/portcullis/portcullis/security/token"
)

// refusalSentinels are the specific reasons of a refusal; each refusal
// wraps exactly one.
var refusalSentinels = []error{
	token.ErrMalformed, token.ErrTooLarge, token.ErrAlgorithm, token.ErrUnknownKey,
	token.ErrSignature, token.ErrNoExpiry, token.ErrExpired, token.ErrNotYetValid,
	token.ErrIssuer, token.ErrAudience, token.ErrNoSubject, token.ErrNoID, token.ErrRevoked,
}

// checkRefusal fails unless err wraps ErrInvalidToken and want, and no
// other specific sentinel.
func checkRefusal(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, token.ErrInvalidToken) {
		t.Fatalf("error %v does not wrap ErrInvalidToken", err)
	}
	for _, s := range refusalSentinels {
		if got := errors.Is(err, s); got != (s == want) {
			t.Fatalf("errors.Is(%v, %v) = %v, want %v", err, s, got, s == want)
		}
	}
}

func TestVerifyAttacks(t *testing.T) {
	t.Parallel()
	c := newClock()
	hs := hmacKey(t, "hs", 1)
	otherHS := hmacKey(t, "hs", 100)
	rs := rsaKey(t, 0)
	otherRS := rsaKey(t, 1)
	otherRS.ID = rs.ID
	es := generate(t, token.ES256)
	ks := keySet(t, hs, rs, es)

	revoked := token.NewRevocationList(c.Now)
	revoked.Revoke("revoked-1", t0.Add(time.Hour))
	both, err := token.NewVerifier(token.VerifierConfig{
		Issuer: testIssuer, Audience: testAudience, Algorithms: []string{token.HS256, token.RS256},
		Keys: ks, Now: c.Now, Revocation: revoked,
	})
	if err != nil {
		t.Fatal(err)
	}
	rsOnly := verifier(t, ks, c, token.RS256)
	roomy, err := token.NewVerifier(token.VerifierConfig{
		Issuer: testIssuer, Audience: testAudience, Algorithms: []string{token.HS256},
		Keys: ks, Now: c.Now, MaxTokenSize: 64 << 10,
	})
	if err != nil {
		t.Fatal(err)
	}

	pubDER, err := x509.MarshalPKIXPublicKey(rs.Public)
	if err != nil {
		t.Fatal(err)
	}
	rsaPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	valid := validClaims()
	big := with(valid, "padding", strings.Repeat("x", token.DefaultMaxTokenSize))

	tests := []struct {
		name string
		v    *token.Verifier
		raw  string
		want error // nil: accepted
	}{
		{"valid HS256", both, signWith(t, hs, valid), nil},
		{"valid RS256", both, signWith(t, rs, valid), nil},
		{"valid RS256 with RS256 only", rsOnly, signWith(t, rs, valid), nil},

		{"empty", both, "", token.ErrMalformed},
		{"garbage", both, "not-a-token", token.ErrMalformed},
		{"four segments", both, signWith(t, hs, valid) + ".x", token.ErrMalformed},
		{"claims are not JSON", both, strings.Join([]string{
			strings.Split(signWith(t, hs, valid), ".")[0], "bm90IGpzb24", "c2ln"}, "."), token.ErrMalformed},
		{"exp is not a number", both, signWith(t, hs, with(valid, "exp", "tomorrow")), token.ErrMalformed},
		{"oversized", both, signWith(t, hs, big), token.ErrTooLarge},
		{"oversized token is otherwise valid", roomy, signWith(t, hs, big), nil},

		{"alg none", both, handMade(t, map[string]any{"alg": "none", "typ": "JWT", "kid": "hs"}, valid, nil), token.ErrAlgorithm},
		{"alg None", both, handMade(t, map[string]any{"alg": "None", "kid": "hs"}, valid, nil), token.ErrAlgorithm},
		{"alg none with a signature", both, handMade(t, map[string]any{"alg": "none", "kid": "hs"}, valid, []byte("sig")), token.ErrAlgorithm},
		{"no alg", both, handMade(t, map[string]any{"kid": "hs"}, valid, []byte("sig")), token.ErrAlgorithm},
		{"alg outside the allow-list", both, signWith(t, es, valid), token.ErrAlgorithm},
		{"HS256 outside an RS256 allow-list", rsOnly, signWith(t, hs, valid), token.ErrAlgorithm},
		{"HS/RS confusion: RSA public key PEM as HMAC secret", both,
			signed(t, jwt.SigningMethodHS256, rs.ID, valid, rsaPEM), token.ErrAlgorithm},
		{"HS/RS confusion against an RS256 allow-list", rsOnly,
			signed(t, jwt.SigningMethodHS256, rs.ID, valid, rsaPEM), token.ErrAlgorithm},
		{"RS256 naming the HMAC key", both, signed(t, jwt.SigningMethodRS256, hs.ID, valid, rs.Private), token.ErrAlgorithm},

		{"crit header", both, withHeader(t, jwt.SigningMethodHS256, hs.ID, "crit", []string{"exp"}, valid, hs.Private), token.ErrMalformed},
		{"unknown kid", both, signed(t, jwt.SigningMethodHS256, "nope", valid, hs.Private), token.ErrUnknownKey},
		{"no kid", both, signed(t, jwt.SigningMethodHS256, "", valid, hs.Private), token.ErrUnknownKey},

		{"wrong HMAC secret", both, signWith(t, otherHS, valid), token.ErrSignature},
		{"wrong RSA key", both, signWith(t, otherRS, valid), token.ErrSignature},
		{"PEM secret under the HMAC key's kid", both, signed(t, jwt.SigningMethodHS256, hs.ID, valid, rsaPEM), token.ErrSignature},
		{"tampered payload", both, tamper(t, signWith(t, hs, valid), with(valid, "sub", "admin")), token.ErrSignature},
		{"tampered scope", both, tamper(t, signWith(t, rs, valid), with(valid, "scope", "me items admin")), token.ErrSignature},
		{"signature stripped", both, strings.TrimRight(signWith(t, hs, valid), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"), token.ErrSignature},

		{"no exp", both, signWith(t, hs, without(valid, "exp")), token.ErrNoExpiry},
		{"expired beyond the leeway", both, signWith(t, hs, with(valid, "exp", t0.Add(-31*time.Second).Unix())), token.ErrExpired},
		{"expired long ago", both, signWith(t, hs, with(valid, "exp", t0.Add(-24*time.Hour).Unix())), token.ErrExpired},
		{"expired within the leeway", both, signWith(t, hs, with(valid, "exp", t0.Add(-20*time.Second).Unix())), nil},
		{"nbf in the future", both, signWith(t, hs, with(valid, "nbf", t0.Add(2*time.Minute).Unix())), token.ErrNotYetValid},
		{"nbf within the leeway", both, signWith(t, hs, with(valid, "nbf", t0.Add(20*time.Second).Unix())), nil},
		{"iat far in the future", both, signWith(t, hs, with(valid, "iat", t0.Add(time.Hour).Unix())), token.ErrNotYetValid},

		{"wrong iss", both, signWith(t, hs, with(valid, "iss", "https://evil.example.test")), token.ErrIssuer},
		{"no iss", both, signWith(t, hs, without(valid, "iss")), token.ErrIssuer},
		{"wrong aud", both, signWith(t, hs, with(valid, "aud", []string{"https://other.example.test"})), token.ErrAudience},
		{"no aud", both, signWith(t, hs, without(valid, "aud")), token.ErrAudience},
		{"aud as a string", both, signWith(t, hs, with(valid, "aud", testAudience)), nil},
		{"aud among others", both, signWith(t, hs, with(valid, "aud", []string{"https://other.example.test", testAudience})), nil},

		{"no sub", both, signWith(t, hs, without(valid, "sub")), token.ErrNoSubject},
		{"empty sub", both, signWith(t, hs, with(valid, "sub", "")), token.ErrNoSubject},
		{"no jti", both, signWith(t, hs, without(valid, "jti")), token.ErrNoID},
		{"revoked jti", both, signWith(t, hs, with(valid, "jti", "revoked-1")), token.ErrRevoked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			claims, err := tt.v.Verify(t.Context(), tt.raw)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if claims.Subject != "alice" || !slices.Equal(claims.Scopes(), []string{"me", "items"}) {
					t.Fatalf("claims = %+v", claims)
				}
				return
			}
			if claims != nil {
				t.Fatalf("Verify returned claims %+v with error %v", claims, err)
			}
			checkRefusal(t, err, tt.want)
		})
	}
}

// tamper replaces the claims segment of raw, keeping its signature.
func tamper(t *testing.T, raw string, claims jwt.MapClaims) string {
	t.Helper()
	parts := strings.Split(raw, ".")
	forged := strings.Split(handMade(t, map[string]any{}, claims, nil), ".")
	return parts[0] + "." + forged[1] + "." + parts[2]
}

func TestVerifyClock(t *testing.T) {
	t.Parallel()
	c := newClock()
	ks := keySet(t, hmacKey(t, "hs", 1))
	v := verifier(t, ks, c, token.HS256)
	raw, claims, err := issuer(t, ks, c).Issue("alice", nil, token.WithTTL(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if !claims.ExpiresAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("exp = %v, want %v", claims.ExpiresAt, t0.Add(time.Minute))
	}
	steps := []struct {
		advance time.Duration
		want    error
	}{
		{0, nil},
		{time.Minute, nil},              // at exp, within the leeway
		{29 * time.Second, nil},         // 29s past exp
		{time.Second, token.ErrExpired}, // 30s past exp: the leeway is over
	}
	for _, s := range steps {
		c.Advance(s.advance)
		_, err := v.Verify(t.Context(), raw)
		if s.want == nil && err != nil {
			t.Fatalf("at %v: Verify: %v", c.Now().Sub(t0), err)
		}
		if s.want != nil {
			checkRefusal(t, err, s.want)
		}
	}
}

func TestVerifyRevocationFailure(t *testing.T) {
	t.Parallel()
	c := newClock()
	ks := keySet(t, hmacKey(t, "hs", 1))
	storeDown := errors.New("store unreachable")
	var asked []string
	v, err := token.NewVerifier(token.VerifierConfig{
		Issuer: testIssuer, Audience: testAudience, Algorithms: []string{token.HS256}, Keys: ks, Now: c.Now,
		Revocation: token.RevocationFunc(func(_ context.Context, jti string) (bool, error) {
			asked = append(asked, jti)
			return false, storeDown
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, claims, err := issuer(t, ks, c).Issue("alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(t.Context(), raw)
	if !errors.Is(err, token.ErrRevocationCheck) || !errors.Is(err, storeDown) || errors.Is(err, token.ErrInvalidToken) {
		t.Fatalf("Verify error = %v, want ErrRevocationCheck wrapping the store's error and not ErrInvalidToken", err)
	}
	if !slices.Equal(asked, []string{claims.ID}) {
		t.Fatalf("the checker was asked about %q, want [%q]", asked, claims.ID)
	}
	// A token refused for another reason never reaches the checker.
	asked = nil
	if _, err := v.Verify(t.Context(), raw+"x"); !errors.Is(err, token.ErrInvalidToken) {
		t.Fatalf("tampered token: %v", err)
	}
	if len(asked) != 0 {
		t.Fatalf("the checker was asked about a refused token: %q", asked)
	}
}

func TestNewVerifierConfig(t *testing.T) {
	t.Parallel()
	ks := keySet(t, hmacKey(t, "hs", 1))
	good := func() token.VerifierConfig {
		return token.VerifierConfig{Issuer: testIssuer, Audience: testAudience, Algorithms: []string{token.HS256}, Keys: ks}
	}
	tests := []struct {
		name    string
		change  func(*token.VerifierConfig)
		wantErr string // "" for success
	}{
		{"complete", func(*token.VerifierConfig) {}, ""},
		{"every algorithm", func(c *token.VerifierConfig) {
			c.Algorithms = []string{token.HS256, token.RS256, token.ES256, token.EdDSA, token.HS256}
		}, ""},
		{"no issuer", func(c *token.VerifierConfig) { c.Issuer = "" }, "VerifierConfig.Issuer is required"},
		{"no audience", func(c *token.VerifierConfig) { c.Audience = "" }, "VerifierConfig.Audience is required"},
		{"no algorithms", func(c *token.VerifierConfig) { c.Algorithms = nil }, "VerifierConfig.Algorithms is required"},
		{"empty algorithms", func(c *token.VerifierConfig) { c.Algorithms = []string{} }, "VerifierConfig.Algorithms is required"},
		{"alg none", func(c *token.VerifierConfig) { c.Algorithms = []string{"none"} }, `"none" is not allowed`},
		{"unsupported alg", func(c *token.VerifierConfig) { c.Algorithms = []string{token.HS256, "PS256"} }, `"PS256" is not allowed`},
		{"no keys", func(c *token.VerifierConfig) { c.Keys = nil }, "VerifierConfig.Keys is required"},
		{"negative leeway", func(c *token.VerifierConfig) { c.Leeway = -time.Second }, "Leeway must not be negative"},
		{"negative size", func(c *token.VerifierConfig) { c.MaxTokenSize = -1 }, "MaxTokenSize must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := good()
			tt.change(&cfg)
			v, err := token.NewVerifier(cfg)
			if tt.wantErr == "" {
				if err != nil || v == nil {
					t.Fatalf("NewVerifier = %v, %v", v, err)
				}
				return
			}
			if v != nil || !errors.Is(err, token.ErrConfig) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewVerifier error = %v, want ErrConfig mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestVerifyCustomLeewayAndSize(t *testing.T) {
	t.Parallel()
	c := newClock()
	hs := hmacKey(t, "hs", 1)
	ks := keySet(t, hs)
	valid := validClaims()
	config := func(leeway time.Duration, size int) *token.Verifier {
		v, err := token.NewVerifier(token.VerifierConfig{
			Issuer: testIssuer, Audience: testAudience, Algorithms: []string{token.HS256}, Keys: ks, Now: c.Now,
			Leeway: leeway, MaxTokenSize: size,
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	late := signWith(t, hs, with(valid, "exp", t0.Add(-90*time.Second).Unix()))
	if _, err := config(2*time.Minute, 0).Verify(t.Context(), late); err != nil {
		t.Fatalf("90s past exp with a 2m leeway: %v", err)
	}
	_, err := config(time.Minute, 0).Verify(t.Context(), late)
	checkRefusal(t, err, token.ErrExpired)

	exact := signWith(t, hs, valid)
	v := config(0, len(exact))
	if _, err := v.Verify(t.Context(), exact); err != nil {
		t.Fatalf("a token of exactly MaxTokenSize bytes: %v", err)
	}
	_, err = v.Verify(t.Context(), signWith(t, hs, with(valid, "sub", "alice2")))
	checkRefusal(t, err, token.ErrTooLarge)
}
