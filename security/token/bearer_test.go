package token_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/token"
)

// fakeBearer is the smallest security.TokenCredential: a scheme that
// carries a fixed token.
type fakeBearer struct{ token string }

func (fakeBearer) SchemeName() string { return "fake" }

func (fakeBearer) OpenAPI() *openapi3.SecurityScheme {
	return &openapi3.SecurityScheme{Type: "http", Scheme: "bearer"}
}

func (f fakeBearer) Authenticate(*http.Request) (security.Scheme, error) { return f, nil }
func (f fakeBearer) Present() bool                                       { return f.token != "" }
func (f fakeBearer) Token() string                                       { return f.token }

func TestBearerClaims(t *testing.T) {
	t.Parallel()
	c := newClock()
	hs := hmacKey(t, "hs", 1)
	ks := keySet(t, hs)
	revoked := token.NewRevocationList(c.Now)
	v, err := token.NewVerifier(token.VerifierConfig{
		Issuer: testIssuer, Audience: testAudience, Algorithms: []string{token.HS256}, Keys: ks, Now: c.Now,
		Revocation: revoked,
	})
	if err != nil {
		t.Fatal(err)
	}
	iss := issuer(t, ks, c)
	good, claims, err := iss.Issue("alice", []string{"me", "items"})
	if err != nil {
		t.Fatal(err)
	}
	gone, goneClaims, err := iss.Issue("alice", []string{"me"})
	if err != nil {
		t.Fatal(err)
	}
	revoked.Revoke(goneClaims.ID, goneClaims.ExpiresAt.Time)
	expired := signWith(t, hs, with(validClaims(), "exp", t0.Add(-time.Hour).Unix()))
	forged := signWith(t, hmacKey(t, "hs", 99), validClaims())

	scopes := func(s ...string) security.SecurityScopes { return security.NewSecurityScopes(s) }
	tests := []struct {
		name          string
		tok           fakeBearer
		scopes        security.SecurityScopes
		wantStatus    int // 0: success
		wantKind      error
		wantChallenge string
		wantDetail    string
	}{
		{name: "no scopes required", tok: fakeBearer{good}, scopes: scopes()},
		{name: "scopes granted", tok: fakeBearer{good}, scopes: scopes("items", "me")},
		{
			name: "no token", tok: fakeBearer{}, scopes: scopes("me"),
			wantStatus: 401, wantKind: security.ErrNoCredentials,
			wantChallenge: `Bearer`, wantDetail: "Not authenticated",
		},
		{
			name: "expired", tok: fakeBearer{expired}, scopes: scopes(),
			wantStatus: 401, wantKind: security.ErrInvalidCredentials,
			wantChallenge: `Bearer error="invalid_token", error_description="token expired"`, wantDetail: "token expired",
		},
		{
			name: "forged", tok: fakeBearer{forged}, scopes: scopes("me"),
			wantStatus: 401, wantKind: security.ErrInvalidCredentials,
			wantChallenge: `Bearer error="invalid_token", error_description="invalid token"`, wantDetail: "invalid token",
		},
		{
			name: "garbage", tok: fakeBearer{"abc.def"}, scopes: scopes(),
			wantStatus: 401, wantKind: security.ErrInvalidCredentials,
			wantChallenge: `Bearer error="invalid_token", error_description="malformed token"`, wantDetail: "malformed token",
		},
		{
			name: "revoked", tok: fakeBearer{gone}, scopes: scopes("me"),
			wantStatus: 401, wantKind: security.ErrInvalidCredentials,
			wantChallenge: `Bearer error="invalid_token", error_description="token revoked"`, wantDetail: "token revoked",
		},
		{
			name: "one scope missing", tok: fakeBearer{good}, scopes: scopes("me", "admin"),
			wantStatus: 403, wantKind: security.ErrInsufficientScope,
			wantChallenge: `Bearer error="insufficient_scope", scope="admin me"`, wantDetail: "the token lacks the scope admin",
		},
		{
			name: "scope missing on a revoked token", tok: fakeBearer{gone}, scopes: scopes("admin"),
			wantStatus: 401, wantKind: security.ErrInvalidCredentials,
			wantChallenge: `Bearer error="invalid_token", error_description="token revoked"`, wantDetail: "token revoked",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := token.BearerClaims(t.Context(), tt.tok, tt.scopes, v)
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatalf("BearerClaims: %v", err)
				}
				if got.Subject != "alice" || got.ID != claims.ID || !slices.Equal(got.Scopes(), []string{"me", "items"}) {
					t.Fatalf("claims = %+v", got)
				}
				return
			}
			if got != nil {
				t.Fatalf("claims %+v returned with a refusal", got)
			}
			var se *security.Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T) is not a *security.Error", err, err)
			}
			if se.Status != tt.wantStatus || !errors.Is(err, tt.wantKind) || se.Detail != tt.wantDetail ||
				!slices.Equal(se.Challenges, []string{tt.wantChallenge}) {
				t.Fatalf("refusal = status %d, kind %v, detail %q, challenges %q; want %d, %v, %q, [%q]",
					se.Status, se.Err, se.Detail, se.Challenges, tt.wantStatus, tt.wantKind, tt.wantDetail, tt.wantChallenge)
			}

			// The refusal renders as RFC 6750 and RFC 9457 say.
			rec := httptest.NewRecorder()
			security.WriteError(rec, err)
			if rec.Code != tt.wantStatus || rec.Header().Get("WWW-Authenticate") != tt.wantChallenge ||
				rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("rendered %d, WWW-Authenticate %q, Content-Type %q", rec.Code,
					rec.Header().Get("WWW-Authenticate"), rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestVerifyScopedServerErrors(t *testing.T) {
	t.Parallel()
	c := newClock()
	ks := keySet(t, hmacKey(t, "hs", 1))
	raw, _, err := issuer(t, ks, c).Issue("alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	down := errors.New("revocation store down")
	v, err := token.NewVerifier(token.VerifierConfig{
		Issuer: testIssuer, Audience: testAudience, Algorithms: []string{token.HS256}, Keys: ks, Now: c.Now,
		Revocation: token.RevocationFunc(func(context.Context, string) (bool, error) { return false, down }),
	})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("failing revocation check", func(t *testing.T) {
		t.Parallel()
		_, err := v.VerifyScoped(t.Context(), fakeBearer{raw}, security.SecurityScopes{})
		var se *security.Error
		if errors.As(err, &se) || !errors.Is(err, down) || !errors.Is(err, token.ErrRevocationCheck) {
			t.Fatalf("error = %v; want the checker's error, not a client refusal", err)
		}
	})
	t.Run("nil verifier", func(t *testing.T) {
		t.Parallel()
		var none *token.Verifier
		_, err := token.BearerClaims(t.Context(), fakeBearer{raw}, security.SecurityScopes{}, none)
		var se *security.Error
		if errors.As(err, &se) || !errors.Is(err, token.ErrConfig) {
			t.Fatalf("error = %v; want ErrConfig", err)
		}
	})
	t.Run("nil credential", func(t *testing.T) {
		t.Parallel()
		_, err := v.VerifyScoped(t.Context(), nil, security.SecurityScopes{})
		var se *security.Error
		if !errors.As(err, &se) || se.Status != 401 || !errors.Is(err, security.ErrNoCredentials) {
			t.Fatalf("error = %v; want a 401 without credentials", err)
		}
	})
}

func TestRevocationList(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := token.NewRevocationList(c.Now)
	l.Revoke("a", t0.Add(time.Minute))
	l.Revoke("b", t0.Add(time.Hour))
	l.Revoke("a", t0) // an earlier expiry does not shorten the entry

	check := func(jti string, want bool) {
		t.Helper()
		got, err := l.IsRevoked(t.Context(), jti)
		if err != nil || got != want {
			t.Fatalf("IsRevoked(%q) = %v, %v; want %v", jti, got, err, want)
		}
	}
	check("a", true)
	check("b", true)
	check("c", false)

	// Within the grace after exp, the entry stays: a verifier's leeway may
	// still let the token through.
	c.Advance(time.Minute + token.RevocationGrace)
	l.Revoke("c", t0.Add(time.Hour))
	check("a", true)
	if l.Len() != 3 {
		t.Fatalf("Len = %d, want 3", l.Len())
	}
	c.Advance(time.Second)
	l.Revoke("d", t0.Add(time.Hour))
	check("a", false)
	check("b", true)
	if l.Len() != 3 {
		t.Fatalf("Len = %d, want 3 after dropping a", l.Len())
	}
}
