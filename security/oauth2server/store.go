package oauth2server

import (
	"context"
	"time"
)

// Grant type names, as the grant_type parameter of RFC 6749 spells them. They
// are also the values of [Client.Grants].
const (
	// GrantPassword is the resource owner password credentials grant
	// (RFC 6749 §4.3). A token request without grant_type is treated as this
	// grant, as FastAPI does.
	GrantPassword = "password"
	// GrantClientCredentials is the client credentials grant (RFC 6749 §4.4).
	GrantClientCredentials = "client_credentials"
	// GrantRefreshToken is the refresh grant (RFC 6749 §6).
	GrantRefreshToken = "refresh_token"
	// GrantAuthorizationCode is the authorization code grant (RFC 6749 §4.1)
	// with PKCE (RFC 7636).
	GrantAuthorizationCode = "authorization_code"
)

// User is a resource owner as the [UserStore] returns it.
type User struct {
	// Subject identifies the user in issued tokens (the "sub" claim).
	Subject string
	// PasswordHash is the encoded hash the [PasswordHasher] verifies.
	PasswordHash string
	// Scopes are the scopes the user may be granted. Nil allows none.
	Scopes []string
	// Disabled users cannot log in or refresh their tokens.
	Disabled bool
}

// UserStore looks up resource owners by the username they log in with.
type UserStore interface {
	// LookupUser returns the user called username. The boolean is false when
	// there is no such user; an error means the store failed.
	LookupUser(ctx context.Context, username string) (User, bool, error)
	// UpdatePasswordHash replaces the stored hash after a successful login
	// whose hash used outdated parameters.
	UpdatePasswordHash(ctx context.Context, username, newHash string) error
}

// Client is a registered OAuth2 client.
type Client struct {
	// ID is the client_id.
	ID string
	// SecretHash is the client secret hashed with the [PasswordHasher]. A
	// confidential client with an empty SecretHash can never authenticate.
	SecretHash string
	// Scopes are the scopes the client may obtain. In user grants the user's
	// scopes are cut down to these; in the client credentials grant they are
	// all the client can get. Nil allows none.
	Scopes []string
	// RedirectURIs are the exact redirect_uri values the authorization
	// endpoint accepts for this client. No prefix or pattern matching is done.
	RedirectURIs []string
	// Public clients (a browser app such as Swagger UI) have no secret and
	// identify themselves by client_id alone. They cannot use the client
	// credentials grant.
	Public bool
	// Grants lists the grant types the client may use (the Grant constants).
	// An empty list allows every grant the client's type supports.
	Grants []string
}

// ClientStore looks up registered clients.
type ClientStore interface {
	// LookupClient returns the client with the given client_id. The boolean
	// is false when there is none; an error means the store failed.
	LookupClient(ctx context.Context, id string) (Client, bool, error)
}

// AuthCode is an issued authorization code. The code itself is never stored:
// Code holds its SHA-256 digest, base64url encoded.
type AuthCode struct {
	// Code is the digest of the code, the key of the [CodeStore].
	Code string
	// ClientID is the client the code was issued to.
	ClientID string
	// Subject is the user's subject.
	Subject string
	// Username is the name the user logged in with; the token endpoint looks
	// the user up again when the code is redeemed.
	Username string
	// RedirectURI is the redirect_uri of the authorization request, which the
	// token request must repeat exactly.
	RedirectURI string
	// Challenge is the PKCE code_challenge.
	Challenge string
	// ChallengeMethod is the PKCE code_challenge_method; always "S256".
	ChallengeMethod string
	// Scopes are the scopes granted at the authorization endpoint.
	Scopes []string
	// ExpiresAt is when the code stops being accepted.
	ExpiresAt time.Time
	// Used is set once the code was redeemed, whether or not the
	// redemption succeeded.
	Used bool
}

// CodeStore keeps authorization codes between the authorization and the
// token endpoint. A redeemed code stays, marked used, until it expires, so
// that a second redemption is told apart from an unknown code: RFC 6749
// §4.1.2 asks that the tokens of the first be revoked then.
type CodeStore interface {
	// SaveCode stores c under c.Code.
	SaveCode(ctx context.Context, c AuthCode) error
	// TakeCode marks the code stored under the digest code used and returns
	// it as it was before the call, in one atomic step, so a code can be
	// redeemed once only: Used is true when it had been redeemed already.
	// It returns expired codes too; the server checks ExpiresAt. A store
	// may delete a code once it has expired.
	TakeCode(ctx context.Context, code string) (AuthCode, bool, error)
}

// RefreshToken is an issued refresh token. The token itself is never stored:
// ID holds its SHA-256 digest, base64url encoded.
type RefreshToken struct {
	// ID is the digest of the token, the key of the [RefreshStore].
	ID string
	// FamilyID is shared by all tokens rotated from one login.
	FamilyID string
	// Subject is the user's subject.
	Subject string
	// Username is the name the user logged in with; each refresh looks the
	// user up again so a disabled user cannot refresh.
	Username string
	// ClientID is the client the token was issued to, or "" for a password
	// login without a client.
	ClientID string
	// Scopes are the scopes of the original grant. Rotation keeps them.
	Scopes []string
	// ExpiresAt is when the token stops being accepted.
	ExpiresAt time.Time
	// Used is set once the token was exchanged.
	Used bool
	// Revoked is set when its family was revoked.
	Revoked bool
}

// RefreshStore keeps refresh tokens and their families.
type RefreshStore interface {
	// SaveRefresh stores t under t.ID. A token saved into a family that was
	// already revoked must be stored as revoked: a rotation that races with a
	// reuse detection must not produce a live token.
	SaveRefresh(ctx context.Context, t RefreshToken) error
	// UseRefresh marks the token with digest id used and returns it as it
	// was before the call, in one atomic step. Used is therefore true when
	// the token had already been exchanged, which lets the server detect reuse
	// and revoke the family.
	UseRefresh(ctx context.Context, id string) (RefreshToken, bool, error)
	// RevokeFamily marks every token of the family revoked.
	RevokeFamily(ctx context.Context, familyID string) error
}
