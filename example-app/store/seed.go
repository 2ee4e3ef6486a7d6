package store

import (
	"context"
	"fmt"

	"github.com/portcullis/portcullis/security"
)

// Hasher hashes passwords and client secrets; security/password's *Hasher
// is one.
type Hasher interface {
	// Hash returns the encoded hash of pw.
	Hash(ctx context.Context, pw string) (string, error)
}

// Seed is the demo data of the example-app contract.
type Seed struct {
	// Hasher hashes the passwords and the client secret.
	Hasher Hasher
	// Realm is the HTTP Digest realm the HA1 values are computed for.
	Realm string
	// DemoAPIKey is the API key to store (as a digest) for johndoe.
	DemoAPIKey string
	// RedirectURIs are the exact redirect URIs of the demo client.
	RedirectURIs []string
}

// Demo data. The passwords are the ones the contract publishes.
const (
	DemoUser           = "johndoe"
	DemoPassword       = "secret"
	DisabledUser       = "alice"
	DisabledPassword   = "secret2"
	DemoClientID       = "demo-client"
	DemoClientSecret   = "demo-secret"
	demoAPIKeyName     = "demo"
	demoUserEmail      = "johndoe@example.com"
	demoUserFullName   = "John Doe"
	disabledUserEmail  = "alice@example.com"
	disabledUserFullNm = "Alice Wonderson"
)

// demoClientGrants are the grants of the demo client: all of them, the
// implicit grant included, which the authorization server only allows to
// clients that name it.
const demoClientGrants = "password client_credentials refresh_token authorization_code implicit"

// Seed fills an empty database with the demo data and reports whether it
// did. When any user exists it does nothing, so restarts keep the data as it
// is. Everything is written in one transaction.
func (s *Store) Seed(ctx context.Context, seed Seed) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return false, fmt.Errorf("store: seed: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	if seed.Hasher == nil || seed.DemoAPIKey == "" || seed.Realm == "" {
		return false, fmt.Errorf("store: seed: Hasher, DemoAPIKey and Realm are required")
	}
	hashes := make(map[string]string, 3)
	for _, pw := range []string{DemoPassword, DisabledPassword, DemoClientSecret} {
		h, err := seed.Hasher.Hash(ctx, pw)
		if err != nil {
			return false, fmt.Errorf("store: seed: hashing: %w", err)
		}
		hashes[pw] = h
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("store: seed: %w", err)
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO users (username, subject, email, full_name, password_hash, scopes, disabled, digest_ha1_sha256, digest_ha1_md5)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`,
			[]any{DemoUser, DemoUser, demoUserEmail, demoUserFullName, hashes[DemoPassword], "me items openid",
				security.DigestHA1(security.DigestSHA256, DemoUser, seed.Realm, DemoPassword),
				security.DigestHA1(security.DigestMD5, DemoUser, seed.Realm, DemoPassword)}},
		{`INSERT INTO users (username, subject, email, full_name, password_hash, scopes, disabled)
			VALUES (?, ?, ?, ?, ?, ?, 1)`,
			[]any{DisabledUser, DisabledUser, disabledUserEmail, disabledUserFullNm, hashes[DisabledPassword], "me items"}},
		{`INSERT INTO api_keys (digest, name, owner) VALUES (?, ?, ?)`,
			[]any{APIKeyDigest(seed.DemoAPIKey), demoAPIKeyName, DemoUser}},
		{`INSERT INTO clients (id, secret_hash, scopes, redirect_uris, public, grants) VALUES (?, ?, ?, ?, 0, ?)`,
			[]any{DemoClientID, hashes[DemoClientSecret], "me items openid", joinList(seed.RedirectURIs), demoClientGrants}},
		{`INSERT INTO items (item_id, owner, public) VALUES ('Foo', ?, 0), ('Bar', ?, 1), ('Baz', ?, 1)`,
			[]any{DemoUser, DemoUser, DisabledUser}},
	}
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
			_ = tx.Rollback() // the insert error is the one to report
			return false, fmt.Errorf("store: seed: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("store: seed: %w", err)
	}
	return true, nil
}
