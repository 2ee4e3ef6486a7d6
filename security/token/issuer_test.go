package token_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/portcullis/portcullis/security/token"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, alg := range []string{token.HS256, token.RS256, token.ES256, token.EdDSA} {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			c := newClock()
			var key token.Key
			if alg == token.HS256 {
				key = hmacKey(t, "", 7)
			} else {
				key = generate(t, alg)
			}
			ks := keySet(t, key)
			raw, issued, err := issuer(t, ks, c).Issue("alice", []string{"me", "items", "me"}, token.WithClientID("demo-client"))
			if err != nil {
				t.Fatal(err)
			}

			header := decodeHeader(t, raw)
			if header["alg"] != alg || header["kid"] != key.ID || header["typ"] != token.AccessTokenType {
				t.Fatalf("header = %v, want alg %s, kid %s, typ %s", header, alg, key.ID, token.AccessTokenType)
			}

			got, err := verifier(t, ks, c, alg).Verify(t.Context(), raw)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.Subject != "alice" || got.Issuer != testIssuer || !slices.Equal(got.Audience, []string{testAudience}) ||
				got.ClientID != "demo-client" || got.Scope != "me items" || got.ID == "" {
				t.Fatalf("verified claims = %+v", got)
			}
			if !got.IssuedAt.Equal(t0) || !got.NotBefore.Equal(t0) || !got.ExpiresAt.Equal(t0.Add(token.DefaultTTL)) {
				t.Fatalf("times: iat %v nbf %v exp %v; want %v, %v, %v", got.IssuedAt, got.NotBefore, got.ExpiresAt, t0, t0, t0.Add(token.DefaultTTL))
			}
			if got.ID != issued.ID || got.Scope != issued.Scope || !got.ExpiresAt.Equal(issued.ExpiresAt.Time) {
				t.Fatalf("verified claims %+v differ from issued %+v", got, issued)
			}

			// Another algorithm's allow-list refuses the token.
			other := token.RS256
			if alg == token.RS256 {
				other = token.ES256
			}
			_, err = verifier(t, ks, c, other).Verify(t.Context(), raw)
			checkRefusal(t, err, token.ErrAlgorithm)
		})
	}
}

func decodeHeader(t *testing.T, raw string) map[string]any {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Header
}

func TestIssueOptions(t *testing.T) {
	t.Parallel()
	c := newClock()
	ks := keySet(t, hmacKey(t, "hs", 1))
	iss := issuer(t, ks, c)

	tests := []struct {
		name    string
		subject string
		scopes  []string
		opts    []token.IssueOption
		check   func(t *testing.T, c *token.Claims)
		wantErr error
	}{
		{
			name: "defaults", subject: "alice",
			check: func(t *testing.T, c *token.Claims) {
				if c.Scope != "" || c.ClientID != "" || !c.ExpiresAt.Equal(t0.Add(15*time.Minute)) {
					t.Fatalf("claims = %+v", c)
				}
				if c.Scopes() != nil {
					t.Fatalf("Scopes() = %q, want none", c.Scopes())
				}
			},
		},
		{
			name: "scopes are deduplicated in order", subject: "alice", scopes: []string{"b", "a", "b", " ", "c d"},
			check: func(t *testing.T, c *token.Claims) {
				if c.Scope != "b a c d" || !slices.Equal(c.Scopes(), []string{"b", "a", "c", "d"}) {
					t.Fatalf("scope = %q, Scopes() = %q", c.Scope, c.Scopes())
				}
			},
		},
		{
			name: "ttl", subject: "alice", opts: []token.IssueOption{token.WithTTL(time.Hour)},
			check: func(t *testing.T, c *token.Claims) {
				if !c.ExpiresAt.Equal(t0.Add(time.Hour)) {
					t.Fatalf("exp = %v", c.ExpiresAt)
				}
			},
		},
		{
			name: "client and audience", subject: "svc", opts: []token.IssueOption{token.WithClientID("c1"), token.WithAudience("a", "b")},
			check: func(t *testing.T, c *token.Claims) {
				if c.ClientID != "c1" || !slices.Equal(c.Audience, []string{"a", "b"}) {
					t.Fatalf("claims = %+v", c)
				}
			},
		},
		{name: "no subject", subject: "", wantErr: token.ErrNoSubject},
		{name: "zero ttl", subject: "alice", opts: []token.IssueOption{token.WithTTL(0)}, wantErr: token.ErrConfig},
		{name: "negative ttl", subject: "alice", opts: []token.IssueOption{token.WithTTL(-time.Minute)}, wantErr: token.ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw, claims, err := iss.Issue(tt.subject, tt.scopes, tt.opts...)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || raw != "" || claims != nil {
					t.Fatalf("Issue = %q, %v, %v; want error %v", raw, claims, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, claims)
		})
	}

	t.Run("ids are unique", func(t *testing.T) {
		t.Parallel()
		seen := map[string]bool{}
		for range 100 {
			_, claims, err := iss.Issue("alice", nil)
			if err != nil {
				t.Fatal(err)
			}
			if seen[claims.ID] || len(claims.ID) < 16 {
				t.Fatalf("jti %q repeated or short", claims.ID)
			}
			seen[claims.ID] = true
		}
	})
}

func TestIssueAccessToken(t *testing.T) {
	t.Parallel()
	c := newClock()
	ks := keySet(t, hmacKey(t, "hs", 1))
	iss, err := token.NewIssuer(token.IssuerConfig{
		Issuer: testIssuer, Audience: []string{testAudience}, Keys: ks, Now: c.Now, TTL: 10 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, expiresIn, err := iss.IssueAccessToken(t.Context(), "johndoe", "demo-client", []string{"items"})
	if err != nil {
		t.Fatal(err)
	}
	if expiresIn != 10*time.Minute {
		t.Fatalf("expiresIn = %v, want 10m", expiresIn)
	}
	claims, err := verifier(t, ks, c, token.HS256).Verify(t.Context(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if claims.Subject != "johndoe" || claims.ClientID != "demo-client" || claims.Scope != "items" {
		t.Fatalf("claims = %+v", claims)
	}

	_, _, err = iss.IssueAccessToken(t.Context(), "johndoe", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if raw, _, err := iss.IssueAccessToken(ctx, "johndoe", "", nil); !errors.Is(err, context.Canceled) || raw != "" {
		t.Fatalf("IssueAccessToken(canceled) = %q, %v", raw, err)
	}
}

func TestNewIssuerConfig(t *testing.T) {
	t.Parallel()
	ks := keySet(t, hmacKey(t, "hs", 1))
	tests := []struct {
		name    string
		cfg     token.IssuerConfig
		wantErr string
	}{
		{"complete", token.IssuerConfig{Issuer: testIssuer, Keys: ks}, ""},
		{"no issuer", token.IssuerConfig{Keys: ks}, "IssuerConfig.Issuer is required"},
		{"no keys", token.IssuerConfig{Issuer: testIssuer}, "IssuerConfig.Keys is required"},
		{"negative ttl", token.IssuerConfig{Issuer: testIssuer, Keys: ks, TTL: -time.Second}, "TTL must not be negative"},
		{"empty audience", token.IssuerConfig{Issuer: testIssuer, Keys: ks, Audience: []string{""}}, "Audience has an empty entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			i, err := token.NewIssuer(tt.cfg)
			if tt.wantErr == "" {
				if err != nil || i == nil {
					t.Fatalf("NewIssuer = %v, %v", i, err)
				}
				return
			}
			if i != nil || !errors.Is(err, token.ErrConfig) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewIssuer error = %v, want ErrConfig mentioning %q", err, tt.wantErr)
			}
		})
	}
}
