package password_test

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/portcullis/portcullis/security/password"
)

// benchCases are the parameter sets the benchmarks measure: the defaults
// and the small set the tests use, to show the fixed overhead.
var benchCases = []struct {
	name   string
	params password.Params
}{
	{"default", password.DefaultParams()},
	{"small", fastParams},
}

func BenchmarkHash(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			h := password.New(password.WithParams(bc.params))
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	for _, bc := range benchCases {
		b.Run("argon2id/"+bc.name, func(b *testing.B) {
			h := password.New(password.WithParams(bc.params))
			encoded, err := h.Hash(ctx, "correct horse battery staple")
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if ok, _, err := h.Verify(ctx, encoded, "correct horse battery staple"); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
	}
	b.Run("bcrypt/cost10", func(b *testing.B) {
		raw, err := bcrypt.GenerateFromPassword([]byte("correct horse battery staple"), bcrypt.DefaultCost)
		if err != nil {
			b.Fatal(err)
		}
		h := password.New()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if ok, _, err := h.Verify(ctx, string(raw), "correct horse battery staple"); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("dummy/default", func(b *testing.B) {
		h := password.New()
		h.VerifyDummy(ctx, "warm up")
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			h.VerifyDummy(ctx, "correct horse battery staple")
		}
	})
}
