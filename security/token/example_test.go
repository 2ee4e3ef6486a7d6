package token_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/portcullis/portcullis/security/token"
)

func Example() {
	// A fixed clock makes the example repeatable; leave Now nil in
	// production.
	now := time.Date(2030, time.January, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	key, err := token.NewHMACKey("example-key", []byte("a secret of at least thirty-two bytes"))
	if err != nil {
		panic(err)
	}
	keys, err := token.NewKeySet(key)
	if err != nil {
		panic(err)
	}
	issuer, err := token.NewIssuer(token.IssuerConfig{
		Issuer:   "https://auth.example.com",
		Audience: []string{"https://api.example.com"},
		TTL:      15 * time.Minute,
		Keys:     keys,
		Now:      clock,
	})
	if err != nil {
		panic(err)
	}
	verifier, err := token.NewVerifier(token.VerifierConfig{
		Issuer:     "https://auth.example.com",
		Audience:   "https://api.example.com",
		Algorithms: []string{token.HS256},
		Keys:       keys,
		Now:        clock,
	})
	if err != nil {
		panic(err)
	}

	raw, _, err := issuer.Issue("johndoe", []string{"me", "items"}, token.WithClientID("demo-client"))
	if err != nil {
		panic(err)
	}
	claims, err := verifier.Verify(context.Background(), raw)
	if err != nil {
		panic(err)
	}
	fmt.Println("subject:", claims.Subject)
	fmt.Println("scopes:", claims.Scopes())
	fmt.Println("client:", claims.ClientID)
	fmt.Println("expires:", claims.ExpiresAt.UTC().Format(time.RFC3339))

	// Half an hour later the token has expired.
	now = now.Add(30 * time.Minute)
	_, err = verifier.Verify(context.Background(), raw)
	fmt.Println(errors.Is(err, token.ErrInvalidToken), errors.Is(err, token.ErrExpired))
	// Output:
	// subject: johndoe
	// scopes: [me items]
	// client: demo-client
	// expires: 2030-01-01T12:15:00Z
	// true true
}

func ExampleKeySet_Rotate() {
	old, _ := token.NewHMACKey("2030-01", []byte("the first secret, thirty-two bytes long"))
	next, _ := token.NewHMACKey("2030-02", []byte("the second secret, thirty-two bytes long"))
	keys, _ := token.NewKeySet(old)

	keys.Rotate(next) // new tokens use next; old tokens still verify
	fmt.Println(keys.SigningKeyID(), keys.KeyIDs())

	keys.Retire(old.ID) // once every token of the old key has expired
	fmt.Println(keys.SigningKeyID(), keys.KeyIDs())
	// Output:
	// 2030-02 [2030-01 2030-02]
	// 2030-02 [2030-02]
}
