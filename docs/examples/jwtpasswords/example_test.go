package jwtpasswords_test

import (
	"context"
	"fmt"

	"github.com/portcullis/portcullis/security/password"
)

func Example_passwords() {
	ctx := context.Background()
	// region: hash
	h := password.New() // argon2id, OWASP's parameters

	stored, err := h.Hash(ctx, "secret") // $argon2id$v=19$m=19456,t=2,p=1$...
	if err != nil {
		panic(err)
	}
	ok, needsRehash, err := h.Verify(ctx, stored, "secret")
	fmt.Println(ok, needsRehash, err)

	ok, _, _ = h.Verify(ctx, stored, "guess")
	fmt.Println(ok)
	// endregion

	// region: rehash
	// A hash made with other parameters, or a bcrypt hash from an older
	// system, still verifies, and asks to be replaced while the plain
	// password is at hand.
	weak := password.New(password.WithParams(password.Params{
		Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32,
	}))
	legacy, _ := weak.Hash(ctx, "secret")
	ok, needsRehash, _ = h.Verify(ctx, legacy, "secret")
	fmt.Println(ok, needsRehash)
	// endregion

	// Output:
	// true false <nil>
	// false
	// true true
}
