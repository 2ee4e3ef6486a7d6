package token_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/portcullis/portcullis/security/token"
)

// FuzzVerify feeds arbitrary strings to a verifier. Whatever comes in, it
// must not panic, every refusal must wrap ErrInvalidToken and exactly one
// specific sentinel, and an accepted token must carry the claims Verify
// promises.
func FuzzVerify(f *testing.F) {
	c := newClock()
	hs := hmacKey(f, "hs", 1)
	ed := generate(f, token.EdDSA)
	ks := keySet(f, hs, ed)
	v := verifier(f, ks, c, token.HS256, token.EdDSA)
	iss := issuer(f, ks, c)

	good, _, err := iss.Issue("alice", []string{"me"})
	if err != nil {
		f.Fatal(err)
	}
	parts := strings.Split(good, ".")
	for _, seed := range []string{
		good,
		signWith(f, ed, validClaims()),
		signWith(f, hs, without(validClaims(), "exp")),
		signed(f, jwt.SigningMethodHS256, ed.ID, validClaims(), []byte("0123456789abcdef0123456789abcdef")),
		parts[0] + "." + parts[1] + ".",
		parts[0] + ".e30." + parts[2],
		"eyJhbGciOiJub25lIn0.e30.",
		"..",
		"",
		"a.b.c",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		claims, err := v.Verify(t.Context(), raw)
		if err == nil {
			if claims == nil || claims.Subject == "" || claims.ID == "" || claims.ExpiresAt == nil ||
				claims.Issuer != testIssuer || !slices.Contains(claims.Audience, testAudience) {
				t.Fatalf("accepted %q with claims %+v", raw, claims)
			}
			return
		}
		if claims != nil {
			t.Fatalf("claims returned with error %v", err)
		}
		if !errors.Is(err, token.ErrInvalidToken) {
			t.Fatalf("error %v does not wrap ErrInvalidToken", err)
		}
		n := 0
		for _, s := range refusalSentinels {
			if errors.Is(err, s) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("error %v wraps %d specific sentinels, want 1", err, n)
		}
	})
}
