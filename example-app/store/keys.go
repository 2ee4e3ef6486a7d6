package store

import (
	"context"
	"fmt"
	"time"
)

// Key is a stored signing key. Material is opaque to the store: the app
// keeps an HMAC secret or a PKCS #8 private key in it.
type Key struct {
	// Name is the key's role in the app, such as "access" or "oidc".
	Name string
	// ID is the key id (kid).
	ID string
	// Algorithm is the JWA algorithm name.
	Algorithm string
	// Material is the secret or the encoded private key.
	Material []byte
	// CreatedAt is when the key was stored.
	CreatedAt time.Time
}

// Key returns the key stored under name. The boolean is false when there is
// none.
func (s *Store) Key(ctx context.Context, name string) (Key, bool, error) {
	k := Key{Name: name}
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT kid, alg, material, created_at FROM signing_keys WHERE name = ?`, name).
		Scan(&k.ID, &k.Algorithm, &k.Material, &created)
	switch {
	case noRows(err):
		return Key{}, false, nil
	case err != nil:
		return Key{}, false, fmt.Errorf("store: key %q: %w", name, err)
	}
	k.CreatedAt = time.Unix(created, 0).UTC()
	return k, true, nil
}

// PutKeyIfAbsent stores k unless a key named k.Name exists, and returns the
// key stored under the name together with whether it is k. Two processes
// racing to create a key therefore end up with the same one.
func (s *Store) PutKeyIfAbsent(ctx context.Context, k Key) (Key, bool, error) {
	if k.CreatedAt.IsZero() {
		k.CreatedAt = time.Now()
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO signing_keys (name, kid, alg, material, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO NOTHING`,
		k.Name, k.ID, k.Algorithm, k.Material, k.CreatedAt.Unix())
	if err != nil {
		return Key{}, false, fmt.Errorf("store: put key %q: %w", k.Name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Key{}, false, fmt.Errorf("store: put key %q: %w", k.Name, err)
	}
	stored, ok, err := s.Key(ctx, k.Name)
	if err != nil {
		return Key{}, false, err
	}
	if !ok {
		return Key{}, false, fmt.Errorf("store: put key %q: %w", k.Name, ErrNotFound)
	}
	return stored, n == 1, nil
}
