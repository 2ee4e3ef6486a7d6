package oauth2server

import (
	"context"
	"net/url"
	"slices"
)

// passwordGrant is RFC 6749 §4.3. The client is optional.
func (s *Server) passwordGrant(ctx context.Context, form url.Values, client *Client) (*tokenResponse, *oauthError) {
	v, oerr := params(form, "username", "password", "scope")
	if oerr != nil {
		return nil, oerr
	}
	username, pw, scope := v[0], v[1], v[2]
	if username == "" || pw == "" {
		return nil, invalidRequest("username and password are required")
	}
	requested, oerr := s.parseScope(scope)
	if oerr != nil {
		return nil, oerr
	}
	u, oerr := s.checkLogin(ctx, username, pw)
	if oerr != nil {
		return nil, oerr
	}
	granted, oerr := grantScopes(requested, userScopes(u, client))
	if oerr != nil {
		return nil, oerr
	}
	return s.issue(ctx, issued{
		subject: u.Subject, username: username, client: client, scopes: granted,
		refresh: s.wantsRefresh(client), refreshScopes: granted,
	})
}

// clientCredentialsGrant is RFC 6749 §4.4. The caller has authenticated a
// confidential client; the token's subject is the client itself.
func (s *Server) clientCredentialsGrant(ctx context.Context, form url.Values, client *Client) (*tokenResponse, *oauthError) {
	scope, oerr := param(form, "scope")
	if oerr != nil {
		return nil, oerr
	}
	requested, oerr := s.parseScope(scope)
	if oerr != nil {
		return nil, oerr
	}
	granted, oerr := grantScopes(requested, client.Scopes)
	if oerr != nil {
		return nil, oerr
	}
	return s.issue(ctx, issued{subject: client.ID, client: client, scopes: granted})
}

// refreshGrant is RFC 6749 §6 with rotation: every refresh token is good
// for one exchange, which hands out its successor in the same family.
// Presenting a token a second time means two parties hold it, so the whole
// family is revoked.
func (s *Server) refreshGrant(ctx context.Context, form url.Values, client *Client) (*tokenResponse, *oauthError) {
	v, oerr := params(form, "refresh_token", "scope")
	if oerr != nil {
		return nil, oerr
	}
	raw, scope := v[0], v[1]
	if raw == "" {
		return nil, invalidRequest("refresh_token is required")
	}
	requested, oerr := s.parseScope(scope)
	if oerr != nil {
		return nil, oerr
	}
	id := digest(raw)
	t, found, err := s.cfg.Refresh.UseRefresh(ctx, id)
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: refresh token lookup failed", "error", err)
		return nil, serverError()
	}
	const bad = "the refresh token is invalid, expired or revoked"
	if !found || !equalDigest(t.ID, id) {
		return nil, invalidGrant(bad)
	}
	if t.Used {
		s.cfg.Logger.WarnContext(ctx, "oauth2server: refresh token reused; revoking its family",
			"subject", t.Subject, "client_id", t.ClientID)
		if oerr := s.revokeFamily(ctx, t.FamilyID); oerr != nil {
			return nil, oerr
		}
		return nil, invalidGrant(bad)
	}
	if t.Revoked || !s.cfg.Now().Before(t.ExpiresAt) {
		return nil, invalidGrant(bad)
	}
	if t.ClientID != clientID(client) {
		return nil, invalidGrant("the refresh token was issued to another client")
	}
	u, oerr := s.currentUser(ctx, t.Username, t.Subject)
	if oerr != nil {
		if oerr.code == codeInvalidGrant {
			if rerr := s.revokeFamily(ctx, t.FamilyID); rerr != nil {
				return nil, rerr
			}
		}
		return nil, oerr
	}
	if len(requested) == 0 {
		requested = t.Scopes
	}
	for _, sc := range requested {
		if !slices.Contains(t.Scopes, sc) {
			return nil, invalidScope("a refresh cannot add scope " + sc)
		}
	}
	// The user or client may have lost scopes since the login.
	granted := intersect(requested, userScopes(u, client))
	return s.issue(ctx, issued{
		subject: t.Subject, username: t.Username, client: client, scopes: granted,
		refresh: true, refreshScopes: t.Scopes, family: t.FamilyID,
	})
}

func (s *Server) revokeFamily(ctx context.Context, family string) *oauthError {
	if err := s.cfg.Refresh.RevokeFamily(ctx, family); err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: refresh family revocation failed", "error", err)
		return serverError()
	}
	return nil
}

// codeGrant is RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.5 and §4.6). The code
// is taken from the store before anything else is checked, so a code that
// fails once cannot be tried again.
func (s *Server) codeGrant(ctx context.Context, form url.Values, client *Client) (*tokenResponse, *oauthError) {
	v, oerr := params(form, "code", "redirect_uri", "code_verifier")
	if oerr != nil {
		return nil, oerr
	}
	code, redirect, verifier := v[0], v[1], v[2]
	switch {
	case code == "":
		return nil, invalidRequest("code is required")
	case redirect == "":
		return nil, invalidRequest("redirect_uri is required")
	case verifier == "":
		return nil, invalidRequest("code_verifier is required")
	}
	id := digest(code)
	ac, found, err := s.cfg.Codes.TakeCode(ctx, id)
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: authorization code lookup failed", "error", err)
		return nil, serverError()
	}
	const bad = "the authorization code is invalid or expired"
	switch {
	case !found || !equalDigest(ac.Code, id):
		return nil, invalidGrant(bad)
	case ac.Used:
		// Someone else may have redeemed it first (RFC 6749 §4.1.2, §10.5):
		// revoke the refresh tokens of that redemption. Its access token
		// lives until it expires.
		s.cfg.Logger.WarnContext(ctx, "oauth2server: authorization code reused; revoking the refresh tokens it issued",
			"subject", ac.Subject, "client_id", ac.ClientID)
		if s.cfg.Refresh != nil {
			if oerr := s.revokeFamily(ctx, codeFamily(id)); oerr != nil {
				return nil, oerr
			}
		}
		return nil, invalidGrant(bad)
	case !s.cfg.Now().Before(ac.ExpiresAt):
		return nil, invalidGrant(bad)
	case ac.ClientID != client.ID:
		return nil, invalidGrant("the authorization code was issued to another client")
	case ac.RedirectURI != redirect:
		return nil, invalidGrant("redirect_uri does not match the authorization request")
	case ac.ChallengeMethod != pkceS256 || !verifyPKCE(verifier, ac.Challenge):
		return nil, invalidGrant("code_verifier does not match the code challenge")
	}
	u, oerr := s.currentUser(ctx, ac.Username, ac.Subject)
	if oerr != nil {
		return nil, oerr
	}
	granted := intersect(ac.Scopes, userScopes(u, client))
	return s.issue(ctx, issued{
		subject: ac.Subject, username: ac.Username, client: client, scopes: granted,
		refresh: s.wantsRefresh(client), refreshScopes: granted, family: codeFamily(id),
	})
}

// codeFamily is the refresh token family of the tokens issued for the code
// with digest id, so that a second redemption can revoke them.
func codeFamily(id string) string { return "code:" + id }
