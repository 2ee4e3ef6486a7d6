package app

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/portcullis/portcullis/example-app/store"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/password"
)

// Scope names.
const (
	scopeMe     = "me"
	scopeItems  = "items"
	scopeOpenID = "openid"
)

// Realm is the realm of the HTTP Basic and Digest schemes; the Digest HA1
// values are stored for it.
const Realm = "example"

var (
	descMe     = "Read your profile."
	descItems  = "Read your items."
	descOpenID = "Sign in with OpenID Connect."
)

// backend gives the scheme values, which are built before fx runs, the
// store and hasher once fx has made them.
type backend struct {
	st     atomic.Pointer[store.Store]
	hasher atomic.Pointer[password.Hasher]
}

var errNotReady = errors.New("app: the store is not open yet")

func (b *backend) store() (*store.Store, error) {
	st := b.st.Load()
	if st == nil {
		return nil, errNotReady
	}
	return st, nil
}

// checkAPIKey is the Validate function of the API key schemes.
func (b *backend) checkAPIKey(ctx context.Context, key string) (bool, error) {
	st, err := b.store()
	if err != nil {
		return false, err
	}
	return st.CheckAPIKey(ctx, key)
}

// checkBasic is the Validate function of HTTP Basic: one password
// verification for every request, the dummy one for an unknown user, and
// the same answer for an unknown user, a wrong password and a disabled user.
func (b *backend) checkBasic(ctx context.Context, username, pw string) (bool, error) {
	st, err := b.store()
	if err != nil {
		return false, err
	}
	h := b.hasher.Load()
	u, found, err := st.LookupUser(ctx, username)
	if err != nil {
		return false, err
	}
	if !found {
		h.VerifyDummy(ctx, pw)
		return false, nil
	}
	ok, _, err := h.Verify(ctx, u.PasswordHash, pw)
	if errors.Is(err, password.ErrPasswordTooLong) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("app: basic: %w", err)
	}
	return ok && !u.Disabled, nil
}

// digestHA1 is the Lookup function of HTTP Digest.
func (b *backend) digestHA1(ctx context.Context, username, realm, algorithm string) (string, bool, error) {
	if realm != Realm {
		return "", false, nil
	}
	st, err := b.store()
	if err != nil {
		return "", false, err
	}
	return st.DigestHA1(ctx, username, algorithm)
}

// schemes are the app's security scheme values.
type schemes struct {
	password      security.OAuth2PasswordBearer
	bearer        security.HTTPBearer
	keyHeader     security.APIKeyHeader
	keyQuery      security.APIKeyQuery
	keyCookie     security.APIKeyCookie
	basic         security.HTTPBasic
	digest        security.HTTPDigest
	clientCreds   security.OAuth2ClientCredentials
	authCode      security.OAuth2AuthorizationCodeBearer
	implicit      security.OAuth2Implicit
	openIDConnect security.OpenIdConnect
}

func newSchemes(b *backend, oidc *security.OIDCVerifier) schemes {
	return schemes{
		password: security.OAuth2PasswordBearer{
			SchemeID:    "OAuth2Password",
			Description: "Log in with a username and password (johndoe / secret).",
			TokenURL:    "/token",
			Scopes:      security.Scopes{scopeMe: descMe, scopeItems: descItems},
		},
		bearer: security.HTTPBearer{
			SchemeID:     "BearerJWT",
			Description:  "An access token from POST /token, pasted without the Bearer prefix.",
			BearerFormat: "JWT",
		},
		keyHeader: security.APIKeyHeader{
			SchemeID: "APIKeyHeader", Name: "X-API-Key",
			Description: "The demo API key (DEMO_API_KEY, default demo-api-key) in a header.",
			Validate:    b.checkAPIKey,
		},
		keyQuery: security.APIKeyQuery{
			SchemeID: "APIKeyQuery", Name: "api_key",
			Description: "The demo API key in the query string.",
			Validate:    b.checkAPIKey,
		},
		keyCookie: security.APIKeyCookie{
			SchemeID: "APIKeyCookie", Name: "api_key",
			Description: "The demo API key in a cookie. Swagger UI cannot set cookies; use an HTTP client.",
			Validate:    b.checkAPIKey,
		},
		basic: security.HTTPBasic{
			SchemeID: "HTTPBasic", Realm: Realm,
			Description: "A username and password from the users table.",
			Validate:    b.checkBasic,
		},
		digest: security.HTTPDigest{
			SchemeID: "HTTPDigest", Realm: Realm,
			Description: "HTTP Digest (RFC 7616, SHA-256 or MD5) against the stored HA1 values.",
			Lookup:      b.digestHA1,
			Nonces:      security.NewDigestNonces(nil, 0, nil),
		},
		clientCreds: security.OAuth2ClientCredentials{
			SchemeID:    "OAuth2ClientCredentials",
			Description: "A token for the demo client (demo-client / demo-secret) itself.",
			TokenURL:    "/token",
			Scopes:      security.Scopes{scopeItems: descItems},
		},
		authCode: security.OAuth2AuthorizationCodeBearer{
			SchemeID:         "OAuth2AuthorizationCode",
			Description:      "Sign in on the app's login page as the public client swagger-ui; PKCE (S256) is required.",
			AuthorizationURL: "/authorize",
			TokenURL:         "/token",
			Scopes:           security.Scopes{scopeItems: descItems, scopeOpenID: descOpenID},
		},
		implicit: security.OAuth2Implicit{
			SchemeID: "OAuth2Implicit",
			Description: "The implicit grant returns the token in the redirect's fragment. " +
				"It is discouraged (OAuth 2.0 Security BCP); prefer the authorization code flow with PKCE.",
			AuthorizationURL: "/authorize",
			Scopes:           security.Scopes{scopeItems: descItems},
		},
		openIDConnect: security.OpenIdConnect{
			SchemeID:    "OpenIDConnect",
			Description: "Tokens with the openid scope, verified through the app's own discovery document and JWKS.",
			Verifier:    oidc,
			Scopes:      security.Scopes{scopeOpenID: descOpenID},
		},
	}
}

func (s schemes) all() []security.Scheme {
	return []security.Scheme{s.password, s.bearer, s.keyHeader, s.keyQuery, s.keyCookie, s.basic, s.digest,
		s.clientCreds, s.authCode, s.implicit, s.openIDConnect}
}
