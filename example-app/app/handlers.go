package app

import (
	"context"
	"net/http"
	"strings"

	"github.com/portcullis/portcullis/example-app/store"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/token"
)

// CurrentUser is the user behind an OAuth2 password-flow token.
type CurrentUser struct {
	store.User
}

// currentUser turns verified claims into the user they name. A disabled
// user is refused, as FastAPI's tutorial does, with 400 "Inactive user".
func currentUser(ctx context.Context, claims *token.Claims, st *store.Store) (*CurrentUser, error) {
	u, found, err := st.UserBySubject(ctx, claims.Subject)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, subjectNotAUser()
	}
	if u.Disabled {
		return nil, inactiveUser()
	}
	return &CurrentUser{User: u}, nil
}

func subjectNotAUser() error {
	const detail = "the token's subject is not a user"
	return security.Unauthorized(security.ErrInvalidCredentials, detail,
		security.BearerChallenge("", "invalid_token", detail, ""))
}

func inactiveUser() error {
	return framework.NewHTTPError(http.StatusBadRequest, "Inactive user")
}

// checkSubject refuses a verified token whose subject is a disabled user,
// or neither a user nor the client the token was issued to (a client
// credentials token names its client as subject). A token stays valid until
// it expires, so without this check a user disabled after signing in would
// keep access to every route that does not load the user.
func checkSubject(ctx context.Context, st *store.Store, subject, clientID string) error {
	u, found, err := st.UserBySubject(ctx, subject)
	switch {
	case err != nil:
		return err
	case found && u.Disabled:
		return inactiveUser()
	case found, clientID != "" && subject == clientID:
		return nil
	}
	return subjectNotAUser()
}

// activeClaims verifies the OAuth2 password-flow token and checks its
// subject with checkSubject. It is the *token.Claims every OAuth2Password
// route receives.
func activeClaims(ctx context.Context, tok security.OAuth2PasswordBearer, scopes security.SecurityScopes,
	v *token.Verifier, st *store.Store) (*token.Claims, error) {
	c, err := token.BearerClaims(ctx, tok, scopes, v)
	if err != nil {
		return nil, err
	}
	if err := checkSubject(ctx, st, c.Subject, c.ClientID); err != nil {
		return nil, err
	}
	return c, nil
}

// TokenInfo describes a verified token.
type TokenInfo struct {
	// Subject is the token's sub: a username, or a client id.
	Subject string `json:"subject"`
	// ClientID is the client the token was issued to, if any.
	ClientID string `json:"client_id,omitempty"`
	// Scope lists the granted scopes.
	Scope string `json:"scope"`
}

func infoOf(c *token.Claims) TokenInfo {
	return TokenInfo{Subject: c.Subject, ClientID: c.ClientID, Scope: c.Scope}
}

// BearerUser is the subject of a token sent with the HTTP bearer scheme.
type BearerUser struct {
	TokenInfo
}

func bearerUser(ctx context.Context, tok security.HTTPBearer, scopes security.SecurityScopes, v *token.Verifier, st *store.Store) (*BearerUser, error) {
	c, err := v.VerifyScoped(ctx, tok, scopes)
	if err != nil {
		return nil, err
	}
	if err := checkSubject(ctx, st, c.Subject, c.ClientID); err != nil {
		return nil, err
	}
	return &BearerUser{infoOf(c)}, nil
}

// ClientPrincipal is an OAuth2 client authenticated by a client-credentials
// token.
type ClientPrincipal struct {
	TokenInfo
}

func clientPrincipal(ctx context.Context, tok security.OAuth2ClientCredentials, scopes security.SecurityScopes, v *token.Verifier) (*ClientPrincipal, error) {
	c, err := v.VerifyScoped(ctx, tok, scopes)
	if err != nil {
		return nil, err
	}
	if c.ClientID == "" || c.Subject != c.ClientID {
		return nil, security.Forbidden(security.ErrInsufficientScope, "this operation needs a client credentials token",
			security.BearerChallenge("", "insufficient_scope", "", scopes.String()))
	}
	return &ClientPrincipal{infoOf(c)}, nil
}

// CodeUser is the user behind an authorization-code token.
type CodeUser struct {
	TokenInfo
}

func codeUser(ctx context.Context, tok security.OAuth2AuthorizationCodeBearer, scopes security.SecurityScopes, v *token.Verifier, st *store.Store) (*CodeUser, error) {
	c, err := v.VerifyScoped(ctx, tok, scopes)
	if err != nil {
		return nil, err
	}
	if err := checkSubject(ctx, st, c.Subject, c.ClientID); err != nil {
		return nil, err
	}
	return &CodeUser{infoOf(c)}, nil
}

// ImplicitUser is the user behind an implicit-grant token.
type ImplicitUser struct {
	TokenInfo
}

func implicitUser(ctx context.Context, tok security.OAuth2Implicit, scopes security.SecurityScopes, v *token.Verifier, st *store.Store) (*ImplicitUser, error) {
	c, err := v.VerifyScoped(ctx, tok, scopes)
	if err != nil {
		return nil, err
	}
	if err := checkSubject(ctx, st, c.Subject, c.ClientID); err != nil {
		return nil, err
	}
	return &ImplicitUser{infoOf(c)}, nil
}

// OIDCUser is the subject of a token verified through OpenID Connect
// discovery.
type OIDCUser struct {
	TokenInfo
}

// oidcUser checks the scopes of a token the OpenIdConnect scheme verified.
func oidcUser(ctx context.Context, tok security.OpenIdConnect, scopes security.SecurityScopes, st *store.Store) (*OIDCUser, error) {
	if missing := scopes.Missing(tok.GrantedScopes()); len(missing) > 0 {
		return nil, security.Forbidden(security.ErrInsufficientScope, "the token lacks the scope "+strings.Join(missing, " "),
			security.BearerChallenge("", "insufficient_scope", "", scopes.String()))
	}
	var c struct {
		ClientID string `json:"client_id"`
	}
	if err := tok.Claims(&c); err != nil {
		return nil, err
	}
	if err := checkSubject(ctx, st, tok.Subject(), c.ClientID); err != nil {
		return nil, err
	}
	return &OIDCUser{TokenInfo{Subject: tok.Subject(), ClientID: c.ClientID, Scope: strings.Join(tok.GrantedScopes(), " ")}}, nil
}

// Whoami names the authenticated user.
type Whoami struct {
	// Username is the authenticated user.
	Username string `json:"username"`
}

// DigestWhoami names the user of an HTTP Digest login and its algorithm.
type DigestWhoami struct {
	// Username is the authenticated user.
	Username string `json:"username"`
	// Algorithm is the digest algorithm the client used.
	Algorithm string `json:"algorithm"`
}

// Status is the answer of GET /status.
type Status struct {
	// Status is "ok".
	Status string `json:"status"`
}

// APIKeyAnswer is the answer of the API key routes.
type APIKeyAnswer struct {
	// In says where the key was found: header, query or cookie.
	In string `json:"in"`
	// Owner is the user the key belongs to.
	Owner string `json:"owner"`
}

// Report is the answer of GET /reports.
type Report struct {
	// AuthenticatedBy is "bearer" or "api_key".
	AuthenticatedBy string `json:"authenticated_by"`
	// Principal is the username behind the credential.
	Principal string `json:"principal"`
	// Reports are the report names.
	Reports []string `json:"reports"`
}

// ItemsPage is the answer of GET /items.
type ItemsPage struct {
	// Viewer is the authenticated user, or null for an anonymous request.
	Viewer *string `json:"viewer"`
	// Items are the public items and the viewer's own.
	Items []store.Item `json:"items"`
}

func readMe(u *CurrentUser) store.User { return u.User }

func readMyItems(ctx context.Context, u *CurrentUser, st *store.Store) ([]store.Item, error) {
	return st.ItemsOf(ctx, u.Username)
}

func status(*token.Claims) Status { return Status{Status: "ok"} }

func apiKeyOwner(ctx context.Context, st *store.Store, key, in string) (APIKeyAnswer, error) {
	_, owner, _, err := st.APIKeyOwner(ctx, key)
	if err != nil {
		return APIKeyAnswer{}, err
	}
	return APIKeyAnswer{In: in, Owner: owner}, nil
}

func apiKeyHeader(ctx context.Context, k security.APIKeyHeader, st *store.Store) (APIKeyAnswer, error) {
	return apiKeyOwner(ctx, st, k.Key(), "header")
}

func apiKeyQuery(ctx context.Context, k security.APIKeyQuery, st *store.Store) (APIKeyAnswer, error) {
	return apiKeyOwner(ctx, st, k.Key(), "query")
}

func apiKeyCookie(ctx context.Context, k security.APIKeyCookie, st *store.Store) (APIKeyAnswer, error) {
	return apiKeyOwner(ctx, st, k.Key(), "cookie")
}

func basicWhoami(b security.HTTPBasic) Whoami { return Whoami{Username: b.Username()} }

func bearerWhoami(u *BearerUser) Whoami { return Whoami{Username: u.Subject} }

func digestWhoami(d security.HTTPDigest) DigestWhoami {
	return DigestWhoami{Username: d.Username(), Algorithm: d.Algorithm()}
}

func oidcWhoami(u *OIDCUser) TokenInfo { return u.TokenInfo }

func clientInfo(c *ClientPrincipal) TokenInfo { return c.TokenInfo }

func codeInfo(u *CodeUser) TokenInfo { return u.TokenInfo }

func implicitInfo(u *ImplicitUser) TokenInfo { return u.TokenInfo }

var demoReports = []string{"daily-sales", "weekly-signups"}

func reports(ctx context.Context, who framework.AnyOf2[*CurrentUser, security.APIKeyHeader], st *store.Store) (Report, error) {
	if u, ok := who.First(); ok {
		return Report{AuthenticatedBy: "bearer", Principal: u.Username, Reports: demoReports}, nil
	}
	k, _ := who.Second()
	_, owner, _, err := st.APIKeyOwner(ctx, k.Key())
	if err != nil {
		return Report{}, err
	}
	return Report{AuthenticatedBy: "api_key", Principal: owner, Reports: demoReports}, nil
}

func listItems(ctx context.Context, viewer framework.Optional[*CurrentUser], st *store.Store) (ItemsPage, error) {
	var page ItemsPage
	name := ""
	if u, ok := viewer.Get(); ok {
		name = u.Username
		page.Viewer = &name
	}
	items, err := st.VisibleItems(ctx, name)
	if err != nil {
		return ItemsPage{}, err
	}
	page.Items = items
	return page, nil
}
