package oauth2server

import (
	"context"
)

// maxSecretLen bounds passwords and client secrets, in bytes, before any
// hashing: security/password refuses longer ones without doing the work,
// which would otherwise tell a known user from an unknown one.
const maxSecretLen = 4096

// errDisabled is the answer for a disabled user whose password was right.
func errDisabled() *oauthError { return invalidGrant("the user is disabled") }

// checkLogin verifies a username and password. An unknown user and a wrong
// password get the same answer after the same work: exactly one password
// verification, the dummy one for an unknown user. A disabled user is
// refused only after the password was verified, so the refusal tells nothing
// to someone who does not know the password. When the stored hash uses
// outdated parameters, it is replaced; a failure to do so is logged and does
// not fail the login.
func (s *Server) checkLogin(ctx context.Context, username, pw string) (User, *oauthError) {
	if len(pw) > maxSecretLen {
		return User{}, invalidGrant(descBadLogin)
	}
	u, found, err := s.cfg.Users.LookupUser(ctx, username)
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: user lookup failed", "error", err)
		return User{}, serverError()
	}
	if !found {
		s.cfg.Hasher.VerifyDummy(ctx, pw)
		return User{}, invalidGrant(descBadLogin)
	}
	ok, rehash, err := s.cfg.Hasher.Verify(ctx, u.PasswordHash, pw)
	if err != nil {
		if ctx.Err() != nil {
			return User{}, invalidGrant(descBadLogin) // the client went away
		}
		// A hash the hasher cannot read is a data problem, not the
		// client's: log it, do the work a good hash would have cost, and
		// answer as for a wrong password.
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: stored password hash cannot be verified", "subject", u.Subject, "error", err)
		s.cfg.Hasher.VerifyDummy(ctx, pw)
		return User{}, invalidGrant(descBadLogin)
	}
	if !ok {
		return User{}, invalidGrant(descBadLogin)
	}
	if u.Disabled {
		return User{}, errDisabled()
	}
	if rehash {
		s.rehash(ctx, username, pw, u.Subject)
	}
	return u, nil
}

func (s *Server) rehash(ctx context.Context, username, pw, subject string) {
	h, err := s.cfg.Hasher.Hash(ctx, pw)
	if err == nil {
		err = s.cfg.Users.UpdatePasswordHash(ctx, username, h)
	}
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "oauth2server: password rehash failed", "subject", subject, "error", err)
	}
}

// currentUser looks a user up again when a code or refresh token is
// redeemed: the user must still exist, be enabled and have the same subject.
func (s *Server) currentUser(ctx context.Context, username, subject string) (User, *oauthError) {
	u, found, err := s.cfg.Users.LookupUser(ctx, username)
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: user lookup failed", "error", err)
		return User{}, serverError()
	}
	if !found || u.Subject != subject {
		return User{}, invalidGrant("the user no longer exists")
	}
	if u.Disabled {
		return User{}, errDisabled()
	}
	return u, nil
}
