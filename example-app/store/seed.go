package store

import (
	"context"
	"database/sql"
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
	// RedirectURIs are the exact redirect URIs of the public Swagger UI
	// client: Swagger UI's oauth2-redirect.html pages.
	RedirectURIs []string
}

// Seeded reports what [Store.Seed] wrote.
type Seeded struct {
	// Demo is true when the database was empty and received all the demo
	// data, both clients included.
	Demo bool
	// Added names the clients that a database seeded by an older build
	// lacked and that this call added.
	Added []string
}

// Demo data. The passwords are the ones the contract publishes.
const (
	DemoUser           = "johndoe"
	DemoPassword       = "secret"
	DisabledUser       = "alice"
	DisabledPassword   = "secret2"
	DemoClientID       = "demo-client"
	DemoClientSecret   = "demo-secret"
	SwaggerUIClientID  = "swagger-ui"
	demoAPIKeyName     = "demo"
	demoUserEmail      = "johndoe@example.com"
	demoUserFullName   = "John Doe"
	disabledUserEmail  = "alice@example.com"
	disabledUserFullNm = "Alice Wonderson"
)

// The two OAuth2 clients. demo-client is the confidential client of the
// contract: its secret, the scope items, and the client credentials grant
// only. swagger-ui is the public client of the Swagger UI page, which can
// keep no secret: it may use the user grants (the authorization server
// requires PKCE of the authorization code grant), and the implicit grant,
// which the server only allows to clients that name it.
const (
	demoClientScopes     = "items"
	demoClientGrants     = "client_credentials"
	swaggerUIClientScope = "me items openid"
	swaggerUIGrants      = "password authorization_code implicit refresh_token"
)

// Seed fills an empty database with the demo data and reports what it
// wrote. When users exist it keeps the data as it is, and only adds the
// public Swagger UI client when an older seed did not create it. Everything
// is written in one transaction.
func (s *Store) Seed(ctx context.Context, seed Seed) (Seeded, error) {
	if len(seed.RedirectURIs) == 0 {
		return Seeded{}, fmt.Errorf("%w: RedirectURIs are required for the %s client", ErrBadSeed, SwaggerUIClientID)
	}
	empty, err := noUsers(ctx, s.db)
	if err != nil {
		return Seeded{}, err
	}
	var hashes map[string]string
	if empty {
		// Hash before the transaction: argon2id is slow, and the
		// transaction holds the write lock.
		if hashes, err = seed.hashes(ctx); err != nil {
			return Seeded{}, err
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Seeded{}, fmt.Errorf("store: seed: %w", err)
	}
	out, err := s.seedTx(ctx, tx, seed, hashes)
	if err != nil {
		_ = tx.Rollback() // the seeding error is the one to report
		return Seeded{}, err
	}
	if err := tx.Commit(); err != nil {
		return Seeded{}, fmt.Errorf("store: seed: %w", err)
	}
	return out, nil
}

// queryer is what noUsers needs of a database or a transaction.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// noUsers reports whether the users table is empty.
func noUsers(ctx context.Context, q queryer) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return false, fmt.Errorf("store: seed: %w", err)
	}
	return n == 0, nil
}

// hashes hashes the demo passwords and the client secret.
func (seed Seed) hashes(ctx context.Context) (map[string]string, error) {
	if seed.Hasher == nil || seed.DemoAPIKey == "" || seed.Realm == "" {
		return nil, fmt.Errorf("%w: Hasher, DemoAPIKey and Realm are required", ErrBadSeed)
	}
	hashes := make(map[string]string, 3)
	for _, pw := range []string{DemoPassword, DisabledPassword, DemoClientSecret} {
		h, err := seed.Hasher.Hash(ctx, pw)
		if err != nil {
			return nil, fmt.Errorf("store: seed: hashing: %w", err)
		}
		hashes[pw] = h
	}
	return hashes, nil
}

// seedTx writes the demo data when hashes is set and the database is still
// empty (another process may have seeded it meanwhile), then adds the
// Swagger UI client when it is absent.
func (s *Store) seedTx(ctx context.Context, tx *sql.Tx, seed Seed, hashes map[string]string) (Seeded, error) {
	var out Seeded
	if hashes != nil {
		empty, err := noUsers(ctx, tx)
		if err != nil {
			return Seeded{}, err
		}
		if empty {
			if err := seedDemo(ctx, tx, seed, hashes); err != nil {
				return Seeded{}, err
			}
			out.Demo = true
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO clients (id, secret_hash, scopes, redirect_uris, public, grants)
		VALUES (?, '', ?, ?, 1, ?) ON CONFLICT (id) DO NOTHING`,
		SwaggerUIClientID, swaggerUIClientScope, joinList(seed.RedirectURIs), swaggerUIGrants)
	if err != nil {
		return Seeded{}, fmt.Errorf("store: seed: client %s: %w", SwaggerUIClientID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Seeded{}, fmt.Errorf("store: seed: client %s: %w", SwaggerUIClientID, err)
	}
	if n > 0 && !out.Demo {
		out.Added = append(out.Added, SwaggerUIClientID)
	}
	return out, nil
}

// seedDemo inserts the users, the API key, demo-client and the items.
func seedDemo(ctx context.Context, tx *sql.Tx, seed Seed, hashes map[string]string) error {
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
		{`INSERT INTO clients (id, secret_hash, scopes, redirect_uris, public, grants) VALUES (?, ?, ?, '', 0, ?)`,
			[]any{DemoClientID, hashes[DemoClientSecret], demoClientScopes, demoClientGrants}},
		{`INSERT INTO items (item_id, owner, public) VALUES ('Foo', ?, 0), ('Bar', ?, 1), ('Baz', ?, 1)`,
			[]any{DemoUser, DemoUser, DisabledUser}},
	}
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
			return fmt.Errorf("store: seed: %w", err)
		}
	}
	return nil
}
