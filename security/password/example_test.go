package password_test

import (
	"context"
	"fmt"

	"github.com/portcullis/portcullis/security/password"
)

func Example() {
	ctx := context.Background()
	h := password.New() // argon2id with OWASP's parameters

	stored, err := h.Hash(ctx, "secret")
	if err != nil {
		panic(err)
	}
	ok, needsRehash, err := h.Verify(ctx, stored, "secret")
	fmt.Println(ok, needsRehash, err)
	ok, _, _ = h.Verify(ctx, stored, "guess")
	fmt.Println(ok)

	// A hash made with weaker parameters still verifies, and asks to be
	// replaced.
	old := password.New(password.WithParams(password.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}))
	legacy, _ := old.Hash(ctx, "secret")
	ok, needsRehash, _ = h.Verify(ctx, legacy, "secret")
	fmt.Println(ok, needsRehash)
	// Output:
	// true false <nil>
	// false
	// true true
}

func ExampleHasher_VerifyDummy() {
	ctx := context.Background()
	h := password.New()
	users := map[string]string{} // username -> stored hash

	login := func(name, pw string) bool {
		stored, found := users[name]
		if !found {
			h.VerifyDummy(ctx, pw) // as slow as a wrong password
			return false
		}
		ok, _, err := h.Verify(ctx, stored, pw)
		return ok && err == nil
	}
	fmt.Println(login("nobody", "secret"))
	// Output: false
}
