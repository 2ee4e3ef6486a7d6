package token

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/portcullis/portcullis/security"
)

// detailNoToken is the detail of a refusal for a missing token. It is the
// security package's wording for every missing credential.
const detailNoToken = "Not authenticated"

// BearerClaims is a ready dependency for routes protected by a bearer-token
// scheme S, such as security.OAuth2PasswordBearer or security.HTTPBearer:
//
//	framework.Provide(token.BearerClaims[security.OAuth2PasswordBearer])
//
// The framework passes the request's context, the authenticated scheme, the
// route's required scopes and the *Verifier from the container. BearerClaims
// returns the token's claims, or a refusal as [Verifier.VerifyScoped]
// describes it.
func BearerClaims[S security.TokenCredential](ctx context.Context, tok S, scopes security.SecurityScopes, v *Verifier) (*Claims, error) {
	return v.VerifyScoped(ctx, tok, scopes)
}

// VerifyScoped verifies the token tok carries and checks that it grants
// every scope in scopes. Refusals are *security.Error values with the
// challenges of RFC 6750 §3:
//
//   - no token (tok is in optional mode and none was sent): 401 wrapping
//     security.ErrNoCredentials, with the challenge "Bearer";
//   - a token that [Verifier.Verify] refuses: 401 wrapping
//     security.ErrInvalidCredentials, with
//     `Bearer error="invalid_token", error_description="..."`, where the
//     description is short and names no secret;
//   - a valid token without a required scope: 403 wrapping
//     security.ErrInsufficientScope, with
//     `Bearer error="insufficient_scope", scope="<the required scopes>"`.
//
// Other errors, such as a failing revocation checker, are returned as they
// are: they are the server's fault, not the client's.
func (v *Verifier) VerifyScoped(ctx context.Context, tok security.TokenCredential, scopes security.SecurityScopes) (*Claims, error) {
	if v == nil {
		return nil, fmt.Errorf("%w: no *token.Verifier to check bearer tokens with (provide one built by token.NewVerifier)", ErrConfig)
	}
	if tok == nil || !tok.Present() || tok.Token() == "" {
		return nil, security.Unauthorized(security.ErrNoCredentials, detailNoToken, security.BearerChallenge("", "", "", ""))
	}
	claims, err := v.Verify(ctx, tok.Token())
	if err != nil {
		if !errors.Is(err, ErrInvalidToken) {
			return nil, err
		}
		desc := describe(err)
		return nil, security.Unauthorized(security.ErrInvalidCredentials, desc,
			security.BearerChallenge("", "invalid_token", desc, ""))
	}
	if missing := scopes.Missing(claims.Scopes()); len(missing) > 0 {
		return nil, security.Forbidden(security.ErrInsufficientScope,
			"the token lacks the scope "+strings.Join(missing, " "),
			security.BearerChallenge("", "insufficient_scope", "", scopes.String()))
	}
	return claims, nil
}

// describe returns the short error_description of a refusal. Reasons a
// client can act on are named; the others are all "invalid token", so the
// answer does not guide someone forging tokens.
func describe(err error) string {
	switch {
	case errors.Is(err, ErrExpired):
		return "token expired"
	case errors.Is(err, ErrNotYetValid):
		return "token not yet valid"
	case errors.Is(err, ErrRevoked):
		return "token revoked"
	case errors.Is(err, ErrTooLarge):
		return "token too large"
	case errors.Is(err, ErrMalformed):
		return "malformed token"
	}
	return "invalid token"
}
