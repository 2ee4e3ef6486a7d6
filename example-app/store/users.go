package store

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"

	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/oauth2server"
)

// User is a user's profile as the API shows it: never a hash.
type User struct {
	// Username is the login name.
	Username string `json:"username"`
	// Email is the user's address.
	Email string `json:"email"`
	// FullName is the user's display name.
	FullName string `json:"full_name"`
	// Disabled users cannot log in.
	Disabled bool `json:"disabled"`
}

// NewUser is a user to create with [Store.CreateUser].
type NewUser struct {
	// Username, Email and FullName fill the profile.
	Username, Email, FullName string
	// PasswordHash is the encoded hash of the password.
	PasswordHash string
	// Scopes are the scopes the user may be granted.
	Scopes []string
	// Disabled users cannot log in.
	Disabled bool
	// DigestSHA256 and DigestMD5 are the HA1 values of the HTTP Digest
	// scheme, or "" when the user cannot use it.
	DigestSHA256, DigestMD5 string
}

// CreateUser inserts a user. The subject of the user's tokens is the
// username.
func (s *Store) CreateUser(ctx context.Context, u NewUser) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO users
		(username, subject, email, full_name, password_hash, scopes, disabled, digest_ha1_sha256, digest_ha1_md5)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Username, u.Username, u.Email, u.FullName, u.PasswordHash, joinList(u.Scopes), u.Disabled,
		u.DigestSHA256, u.DigestMD5)
	if err != nil {
		return fmt.Errorf("store: create user %q: %w", u.Username, err)
	}
	return nil
}

// UserBySubject returns the profile of the user whose tokens carry subject.
// The boolean is false when there is none.
func (s *Store) UserBySubject(ctx context.Context, subject string) (User, bool, error) {
	var u User
	err := s.db.QueryRowContext(ctx,
		`SELECT username, email, full_name, disabled FROM users WHERE subject = ?`, subject).
		Scan(&u.Username, &u.Email, &u.FullName, &u.Disabled)
	switch {
	case noRows(err):
		return User{}, false, nil
	case err != nil:
		return User{}, false, fmt.Errorf("store: user by subject: %w", err)
	}
	return u, true, nil
}

// LookupUser implements oauth2server.UserStore.
func (s *Store) LookupUser(ctx context.Context, username string) (oauth2server.User, bool, error) {
	var (
		u      oauth2server.User
		scopes string
	)
	err := s.db.QueryRowContext(ctx,
		`SELECT subject, password_hash, scopes, disabled FROM users WHERE username = ?`, username).
		Scan(&u.Subject, &u.PasswordHash, &scopes, &u.Disabled)
	switch {
	case noRows(err):
		return oauth2server.User{}, false, nil
	case err != nil:
		return oauth2server.User{}, false, fmt.Errorf("store: lookup user: %w", err)
	}
	u.Scopes = splitList(scopes)
	return u, true, nil
}

// UpdatePasswordHash implements oauth2server.UserStore.
func (s *Store) UpdatePasswordHash(ctx context.Context, username, newHash string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE username = ?`, newHash, username)
	if err != nil {
		return fmt.Errorf("store: update password hash: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("store: update password hash of %q: %w", username, ErrNotFound)
	}
	return nil
}

// DigestHA1 returns the stored HA1 of username for the HTTP Digest
// algorithm (security.DigestSHA256 or security.DigestMD5). The boolean is
// false for an unknown user, a disabled one, one without a stored HA1, and
// an unknown algorithm. The HA1 values were computed for one realm when the
// user was created; the caller checks that the realm matches.
func (s *Store) DigestHA1(ctx context.Context, username, algorithm string) (string, bool, error) {
	var col string
	switch algorithm {
	case security.DigestSHA256:
		col = "digest_ha1_sha256"
	case security.DigestMD5:
		col = "digest_ha1_md5"
	default:
		return "", false, nil
	}
	var (
		ha1      string
		disabled bool
	)
	err := s.db.QueryRowContext(ctx, `SELECT `+col+`, disabled FROM users WHERE username = ?`, username).Scan(&ha1, &disabled)
	switch {
	case noRows(err):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("store: digest HA1: %w", err)
	}
	if disabled || ha1 == "" {
		return "", false, nil
	}
	return ha1, true, nil
}

// APIKeyDigest returns the hex SHA-256 digest under which key is stored.
func APIKeyDigest(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// CreateAPIKey stores the digest of key for owner under a display name.
func (s *Store) CreateAPIKey(ctx context.Context, name, owner, key string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO api_keys (digest, name, owner) VALUES (?, ?, ?)`,
		APIKeyDigest(key), name, owner)
	if err != nil {
		return fmt.Errorf("store: create API key %q: %w", name, err)
	}
	return nil
}

// APIKeyOwner returns the name and owner of the API key key. The boolean is
// false when the key is unknown. The key is looked up by its digest, and the
// stored digest is compared again in constant time.
func (s *Store) APIKeyOwner(ctx context.Context, key string) (name, owner string, ok bool, err error) {
	want := APIKeyDigest(key)
	var got string
	err = s.db.QueryRowContext(ctx, `SELECT digest, name, owner FROM api_keys WHERE digest = ?`, want).Scan(&got, &name, &owner)
	switch {
	case noRows(err):
		return "", "", false, nil
	case err != nil:
		return "", "", false, fmt.Errorf("store: API key lookup: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return "", "", false, nil
	}
	return name, owner, true, nil
}

// CheckAPIKey reports whether key is a stored API key. Its signature fits
// the Validate field of the security package's API key schemes.
func (s *Store) CheckAPIKey(ctx context.Context, key string) (bool, error) {
	_, _, ok, err := s.APIKeyOwner(ctx, key)
	return ok, err
}
