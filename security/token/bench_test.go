package token_test

import (
	"context"
	"testing"

	"github.com/portcullis/portcullis/security/token"
)

// benchAlgs are the algorithms the benchmarks compare.
var benchAlgs = []string{token.HS256, token.RS256, token.ES256, token.EdDSA}

func benchKey(b *testing.B, alg string) token.Key {
	b.Helper()
	if alg == token.HS256 {
		return hmacKey(b, "hs", 1)
	}
	return generate(b, alg)
}

func BenchmarkVerify(b *testing.B) {
	for _, alg := range benchAlgs {
		b.Run(alg, func(b *testing.B) {
			c := newClock()
			ks := keySet(b, benchKey(b, alg))
			v := verifier(b, ks, c, alg)
			raw, _, err := issuer(b, ks, c).Issue("alice", []string{"me", "items"}, token.WithClientID("demo-client"))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := v.Verify(ctx, raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIssue(b *testing.B) {
	for _, alg := range benchAlgs {
		b.Run(alg, func(b *testing.B) {
			c := newClock()
			iss := issuer(b, keySet(b, benchKey(b, alg)), c)
			scopes := []string{"me", "items"}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, _, err := iss.Issue("alice", scopes); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
