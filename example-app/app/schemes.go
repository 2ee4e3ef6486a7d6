package app

import (
	"context"
	"errors"
	"fmt"

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

// staticSchemes are the scheme values that need no app service: the token
// schemes whose tokens the dependencies in handlers.go verify.
func staticSchemes() []security.Scheme {
	return []security.Scheme{
		security.OAuth2PasswordBearer{
			SchemeID:    "OAuth2Password",
			Description: "Log in with a username and password (johndoe / secret).",
			TokenURL:    "/token",
			Scopes:      security.Scopes{scopeMe: descMe, scopeItems: descItems},
		},
		security.HTTPBearer{
			SchemeID:     "BearerJWT",
			Description:  "An access token from POST /token, pasted without the Bearer prefix.",
			BearerFormat: "JWT",
		},
		security.OAuth2ClientCredentials{
			SchemeID:    "OAuth2ClientCredentials",
			Description: "A token for the demo client (demo-client / demo-secret) itself.",
			TokenURL:    "/token",
			Scopes:      security.Scopes{scopeItems: descItems},
		},
		security.OAuth2AuthorizationCodeBearer{
			SchemeID:         "OAuth2AuthorizationCode",
			Description:      "Sign in on the app's login page as the public client swagger-ui; PKCE (S256) is required.",
			AuthorizationURL: "/authorize",
			TokenURL:         "/token",
			Scopes:           security.Scopes{scopeItems: descItems, scopeOpenID: descOpenID},
		},
		security.OAuth2Implicit{
			SchemeID: "OAuth2Implicit",
			Description: "The implicit grant returns the token in the redirect's fragment. " +
				"It is discouraged (OAuth 2.0 Security BCP); prefer the authorization code flow with PKCE.",
			AuthorizationURL: "/authorize",
			Scopes:           security.Scopes{scopeItems: descItems},
		},
	}
}

// The constructors below run once, while fx.New runs, through
// framework.SecurityFrom: their checks read the store, the password hasher,
// the digest nonce record and the OpenID Connect verifier of the fx
// container.

func newAPIKeyHeader(st *store.Store) security.APIKeyHeader {
	return security.APIKeyHeader{
		SchemeID: "APIKeyHeader", Name: "X-API-Key",
		Description: "The demo API key (DEMO_API_KEY, default demo-api-key) in a header.",
		Validate:    st.CheckAPIKey,
	}
}

func newAPIKeyQuery(st *store.Store) security.APIKeyQuery {
	return security.APIKeyQuery{
		SchemeID: "APIKeyQuery", Name: "api_key",
		Description: "The demo API key in the query string.",
		Validate:    st.CheckAPIKey,
	}
}

func newAPIKeyCookie(st *store.Store) security.APIKeyCookie {
	return security.APIKeyCookie{
		SchemeID: "APIKeyCookie", Name: "api_key",
		Description: "The demo API key in a cookie. Swagger UI cannot set cookies; use an HTTP client.",
		Validate:    st.CheckAPIKey,
	}
}

func newHTTPBasic(st *store.Store, h *password.Hasher) security.HTTPBasic {
	return security.HTTPBasic{
		SchemeID: "HTTPBasic", Realm: Realm,
		Description: "A username and password from the users table.",
		Validate:    checkBasic(st, h),
	}
}

// checkBasic returns the Validate function of HTTP Basic: one password
// verification for every request, the dummy one for an unknown user, and
// the same answer for an unknown user, a wrong password and a disabled user.
func checkBasic(st *store.Store, h *password.Hasher) func(ctx context.Context, username, pw string) (bool, error) {
	return func(ctx context.Context, username, pw string) (bool, error) {
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
}

func newHTTPDigest(st *store.Store, nonces *security.DigestNonces) security.HTTPDigest {
	return security.HTTPDigest{
		SchemeID: "HTTPDigest", Realm: Realm,
		Description: "HTTP Digest (RFC 7616, SHA-256 or MD5) against the stored HA1 values.",
		// The HA1 values are stored for Realm only.
		Lookup: func(ctx context.Context, username, realm, algorithm string) (string, bool, error) {
			if realm != Realm {
				return "", false, nil
			}
			return st.DigestHA1(ctx, username, algorithm)
		},
		Nonces: nonces,
	}
}

func newOpenIDConnect(oidc *security.OIDCVerifier) security.OpenIdConnect {
	return security.OpenIdConnect{
		SchemeID:    "OpenIDConnect",
		Description: "Tokens with the openid scope, verified through the app's own discovery document and JWKS.",
		Verifier:    oidc,
		Scopes:      security.Scopes{scopeOpenID: descOpenID},
	}
}
