package store

import (
	"context"
	"fmt"
	"time"

	"github.com/portcullis/portcullis/security/oauth2server"
)

// The Store serves the oauth2server package.
var (
	_ oauth2server.UserStore    = (*Store)(nil)
	_ oauth2server.ClientStore  = (*Store)(nil)
	_ oauth2server.CodeStore    = (*Store)(nil)
	_ oauth2server.RefreshStore = (*Store)(nil)
)

// CreateClient stores an OAuth2 client; SecretHash must already be hashed.
func (s *Store) CreateClient(ctx context.Context, c oauth2server.Client) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO clients (id, secret_hash, scopes, redirect_uris, public, grants)
		VALUES (?, ?, ?, ?, ?, ?)`,
		c.ID, c.SecretHash, joinList(c.Scopes), joinList(c.RedirectURIs), c.Public, joinList(c.Grants))
	if err != nil {
		return fmt.Errorf("store: create client %q: %w", c.ID, err)
	}
	return nil
}

// LookupClient implements oauth2server.ClientStore.
func (s *Store) LookupClient(ctx context.Context, id string) (oauth2server.Client, bool, error) {
	c := oauth2server.Client{ID: id}
	var scopes, uris, grants string
	err := s.db.QueryRowContext(ctx, `SELECT secret_hash, scopes, redirect_uris, public, grants FROM clients WHERE id = ?`, id).
		Scan(&c.SecretHash, &scopes, &uris, &c.Public, &grants)
	switch {
	case noRows(err):
		return oauth2server.Client{}, false, nil
	case err != nil:
		return oauth2server.Client{}, false, fmt.Errorf("store: lookup client: %w", err)
	}
	c.Scopes, c.RedirectURIs = splitList(scopes), splitList(uris)
	if g := splitList(grants); len(g) > 0 {
		c.Grants = g
	}
	return c, true, nil
}

// SaveCode implements oauth2server.CodeStore. It also deletes codes that
// expired, so the table does not grow.
func (s *Store) SaveCode(ctx context.Context, c oauth2server.AuthCode) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM auth_codes WHERE expires_at < ?`, time.Now().Add(-time.Hour).UnixNano()); err != nil {
		return fmt.Errorf("store: purge codes: %w", err)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO auth_codes
		(digest, client_id, subject, username, redirect_uri, challenge, challenge_method, scopes, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Code, c.ClientID, c.Subject, c.Username, c.RedirectURI, c.Challenge, c.ChallengeMethod,
		joinList(c.Scopes), c.ExpiresAt.UnixNano())
	if err != nil {
		return fmt.Errorf("store: save code: %w", err)
	}
	return nil
}

// TakeCode implements oauth2server.CodeStore: one UPDATE ... RETURNING
// that counts the redemptions, so of two concurrent ones exactly one sees
// the code unused. SaveCode purges codes an hour after they expire.
func (s *Store) TakeCode(ctx context.Context, code string) (oauth2server.AuthCode, bool, error) {
	c := oauth2server.AuthCode{}
	var scopes string
	var exp, used int64
	err := s.db.QueryRowContext(ctx, `UPDATE auth_codes SET used = used + 1 WHERE digest = ?
		RETURNING digest, client_id, subject, username, redirect_uri, challenge, challenge_method, scopes, expires_at, used`, code).
		Scan(&c.Code, &c.ClientID, &c.Subject, &c.Username, &c.RedirectURI, &c.Challenge, &c.ChallengeMethod, &scopes, &exp, &used)
	switch {
	case noRows(err):
		return oauth2server.AuthCode{}, false, nil
	case err != nil:
		return oauth2server.AuthCode{}, false, fmt.Errorf("store: take code: %w", err)
	}
	c.Scopes = splitList(scopes)
	c.ExpiresAt = time.Unix(0, exp)
	c.Used = used > 1
	return c, true, nil
}

// SaveRefresh implements oauth2server.RefreshStore. A token saved into a
// family that is already revoked is stored revoked, in the same statement.
// It also deletes tokens that expired an hour ago and family marks that
// lapsed, so the tables do not grow; a token reused after it expired is
// refused without revoking its family, as by oauth2server.MemoryRefresh.
func (s *Store) SaveRefresh(ctx context.Context, t oauth2server.RefreshToken) error {
	now := time.Now()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM refresh_tokens WHERE expires_at < ?`, now.Add(-time.Hour).UnixNano()); err != nil {
		return fmt.Errorf("store: purge refresh tokens: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM revoked_families WHERE until < ?`, now.UnixNano()); err != nil {
		return fmt.Errorf("store: purge revoked families: %w", err)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO refresh_tokens
		(id, family_id, subject, username, client_id, scopes, expires_at, used, revoked)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?,
			? OR EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = ? AND revoked = 1)
			  OR EXISTS (SELECT 1 FROM revoked_families WHERE family_id = ?))`,
		t.ID, t.FamilyID, t.Subject, t.Username, t.ClientID, joinList(t.Scopes), t.ExpiresAt.UnixNano(),
		t.Used, t.Revoked, t.FamilyID, t.FamilyID)
	if err != nil {
		return fmt.Errorf("store: save refresh token: %w", err)
	}
	return nil
}

// UseRefresh implements oauth2server.RefreshStore: it marks the token used
// and returns it as it was, in one transaction.
func (s *Store) UseRefresh(ctx context.Context, id string) (t oauth2server.RefreshToken, found bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return t, false, fmt.Errorf("store: use refresh token: %w", err)
	}
	defer func() {
		if err != nil || !found {
			_ = tx.Rollback() // nothing was written, or the error is the one to report
		}
	}()
	var scopes string
	var exp int64
	err = tx.QueryRowContext(ctx, `SELECT id, family_id, subject, username, client_id, scopes, expires_at, used, revoked
		FROM refresh_tokens WHERE id = ?`, id).
		Scan(&t.ID, &t.FamilyID, &t.Subject, &t.Username, &t.ClientID, &scopes, &exp, &t.Used, &t.Revoked)
	switch {
	case noRows(err):
		return oauth2server.RefreshToken{}, false, nil
	case err != nil:
		return t, false, fmt.Errorf("store: use refresh token: %w", err)
	}
	t.Scopes = splitList(scopes)
	t.ExpiresAt = time.Unix(0, exp)
	if _, err = tx.ExecContext(ctx, `UPDATE refresh_tokens SET used = 1 WHERE id = ?`, id); err != nil {
		return t, false, fmt.Errorf("store: use refresh token: %w", err)
	}
	if err = tx.Commit(); err != nil {
		return t, false, fmt.Errorf("store: use refresh token: %w", err)
	}
	return t, true, nil
}

// RevokeFamily implements oauth2server.RefreshStore: it revokes the
// family's tokens and marks the family for a minute, in which a token
// saved into it, by a rotation or a code redemption racing with this
// revocation, is saved revoked.
func (s *Store) RevokeFamily(ctx context.Context, familyID string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: revoke family: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit, a no-op
	if _, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET revoked = 1 WHERE family_id = ?`, familyID); err != nil {
		return fmt.Errorf("store: revoke family: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO revoked_families (family_id, until) VALUES (?, ?)
		ON CONFLICT (family_id) DO UPDATE SET until = MAX(until, excluded.until)`,
		familyID, time.Now().Add(time.Minute).UnixNano()); err != nil {
		return fmt.Errorf("store: revoke family: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: revoke family: %w", err)
	}
	return nil
}
