package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"
	"golang.org/x/time/rate"

	"github.com/portcullis/portcullis/example-app/config"
	"github.com/portcullis/portcullis/example-app/store"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/oauth2server"
	"github.com/portcullis/portcullis/security/password"
	"github.com/portcullis/portcullis/security/token"
)

// Title is the OpenAPI title of the app.
const Title = "Portcullis example API"

// Login rate limits. They are looser than the oauth2server defaults so that
// the end-to-end tests' bursts of logins from one address pass; a real
// deployment keeps the defaults.
const (
	loginRate  rate.Limit = 20
	loginBurst            = 200
)

// TokenResponse documents the token endpoint's answer (RFC 6749 §5.1).
type TokenResponse struct {
	// AccessToken is the JWT to send as a bearer token.
	AccessToken string `json:"access_token"`
	// TokenType is "bearer".
	TokenType string `json:"token_type"`
	// ExpiresIn is the token's lifetime in seconds.
	ExpiresIn int64 `json:"expires_in"`
	// RefreshToken, when present, obtains a new access token once.
	RefreshToken string `json:"refresh_token,omitempty"`
	// Scope lists the granted scopes, separated by spaces.
	Scope string `json:"scope"`
}

// Options returns the fx options of example-app for cfg: the framework
// module, the schemes, the store and the routes. Pass them to fx.New.
func Options(cfg config.Config) []fx.Option {
	log := slog.Default()
	return []fx.Option{
		framework.Module(
			framework.Title(Title),
			framework.Version("1.0.0"),
			framework.Description("The reference API of Portcullis: every OpenAPI security scheme, enforced and documented by the same values."),
			framework.Addr(cfg.Addr),
			framework.OAuth2Client(store.SwaggerUIClientID, true),
			framework.PersistAuthorization(),
			framework.Logger(log),
			framework.License("MIT", "https://opensource.org/license/mit"),
			framework.TagDescription("auth", "The OAuth2 authorization server and OpenID Connect discovery."),
			framework.TagDescription("users", "Your profile, with the OAuth2 password flow."),
			framework.TagDescription("items", "Items and reports: optional and alternative security."),
			framework.TagDescription("api-keys", "The demo API key in a header, the query or a cookie."),
			framework.TagDescription("http", "HTTP authentication schemes: Basic, bearer and Digest."),
			framework.TagDescription("oauth2", "The other OAuth2 flows and OpenID Connect."),
		),
		fx.Supply(cfg),
		fx.Provide(
			func() *slog.Logger { return log },
			func() *password.Hasher { return password.New() },
			openStore,
			loadKeysFx,
			newVerifier,
			newOAuth2Server,
			newOIDCVerifier,
			func() *security.DigestNonces { return security.NewDigestNonces(nil, 0, nil) },
		),
		fx.Invoke(announce),
		framework.Security(staticSchemes()...),
		framework.SecurityFrom(newAPIKeyHeader, newAPIKeyQuery, newAPIKeyCookie,
			newHTTPBasic, newHTTPDigest, newOpenIDConnect),
		framework.Provide(activeClaims),
		framework.Provide(currentUser),
		framework.Provide(bearerUser),
		framework.Provide(clientPrincipal),
		framework.Provide(codeUser),
		framework.Provide(implicitUser),
		framework.Provide(oidcUser),
		framework.Routes(routes(cfg)),
	}
}

// openStore opens and seeds the database, and closes it when the app stops.
func openStore(lc fx.Lifecycle, cfg config.Config, h *password.Hasher, log *slog.Logger) (*store.Store, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	seeded, err := st.Seed(ctx, store.Seed{
		Hasher:       h,
		Realm:        Realm,
		DemoAPIKey:   cfg.DemoAPIKey,
		RedirectURIs: redirectURIs(cfg),
	})
	if err != nil {
		_ = st.Close() // the seed error is the one to report
		return nil, err
	}
	if seeded.Demo {
		log.Info("seeded the demo data", "database", cfg.DatabaseURL, "users", "johndoe (active), alice (disabled)",
			"clients", store.DemoClientID+" (confidential), "+store.SwaggerUIClientID+" (public)")
	}
	for _, id := range seeded.Added {
		log.Info("added an OAuth2 client that this database lacked", "database", cfg.DatabaseURL, "client", id)
	}
	lc.Append(fx.StopHook(st.Close))
	return st, nil
}

// redirectURIs are the exact redirect URIs of the public Swagger UI client:
// Swagger UI's redirect page at the issuer URL, and on localhost at the same
// port.
func redirectURIs(cfg config.Config) []string {
	uris := []string{cfg.IssuerURL + "/docs/oauth2-redirect.html"}
	if _, port, err := net.SplitHostPort(cfg.Addr); err == nil && port != "" {
		for _, host := range []string{"localhost", "127.0.0.1"} {
			u := "http://" + net.JoinHostPort(host, port) + "/docs/oauth2-redirect.html"
			if u != uris[0] {
				uris = append(uris, u)
			}
		}
	}
	return uris
}

func loadKeysFx(cfg config.Config, st *store.Store, log *slog.Logger) (*Keys, error) {
	return loadKeys(context.Background(), cfg, st, log)
}

func newVerifier(cfg config.Config, k *Keys) (*token.Verifier, error) {
	return token.NewVerifier(token.VerifierConfig{
		Issuer:     cfg.IssuerURL,
		Audience:   Audience,
		Algorithms: []string{token.HS256, token.ES256},
		Keys:       k.Verify,
	})
}

// newOIDCVerifier verifies the OpenIdConnect scheme's tokens through the
// app's own discovery document, which it fetches on first use.
func newOIDCVerifier(cfg config.Config) (*security.OIDCVerifier, error) {
	v, err := security.NewOIDCVerifier(context.Background(), cfg.IssuerURL, Audience)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return v, nil
}

func newOAuth2Server(st *store.Store, k *Keys, h *password.Hasher, log *slog.Logger) (*oauth2server.Server, error) {
	return oauth2server.New(oauth2server.Config{
		Users:       st,
		Clients:     st,
		Codes:       st,
		Refresh:     st,
		Issuer:      k,
		Hasher:      h,
		KnownScopes: []string{scopeMe, scopeItems, scopeOpenID},
		LoginRate:   loginRate,
		LoginBurst:  loginBurst,
		Realm:       Realm,
		Logger:      log,
	})
}

// announce logs, once the server listens, where a newcomer starts.
func announce(lc fx.Lifecycle, srv *framework.Server, log *slog.Logger) {
	lc.Append(fx.StartHook(func() {
		log.Info(fmt.Sprintf("Swagger UI: %s/docs (log in as johndoe / secret)", srv.URL()))
	}))
}

// routes registers every endpoint of the contract.
func routes(cfg config.Config) func(r *framework.Router) {
	return func(r *framework.Router) {
		r.Raw(http.MethodPost, "/token", func(s *oauth2server.Server) gin.HandlerFunc { return s.TokenHandler() },
			framework.Doc(security.OAuth2PasswordRequestForm{}, TokenResponse{}),
			framework.Problems(http.StatusBadRequest, http.StatusUnauthorized, http.StatusTooManyRequests),
			framework.Summary("Obtain an access token"),
			framework.Describe("The OAuth2 token endpoint (RFC 6749): grant_type password (the default), client_credentials, "+
				"authorization_code and refresh_token. Form-encoded; client credentials in the form or as HTTP Basic."),
			framework.Tags("auth"), framework.OperationID("token"))
		authorize := func(s *oauth2server.Server) gin.HandlerFunc { return s.AuthorizeHandler() }
		r.Raw(http.MethodGet, "/authorize", authorize,
			framework.Problems(http.StatusBadRequest), framework.HTML(),
			framework.Summary("Show the sign-in page of the authorization endpoint"),
			framework.Describe("The authorization endpoint for the authorization code grant with PKCE (response_type=code) "+
				"and the discouraged implicit grant (response_type=token). Answers with an HTML sign-in form."),
			framework.Tags("auth"), framework.OperationID("authorizeForm"))
		r.Raw(http.MethodPost, "/authorize", authorize,
			framework.Problems(http.StatusBadRequest, http.StatusForbidden, http.StatusTooManyRequests), framework.HTML(),
			framework.Summary("Sign in at the authorization endpoint"),
			framework.Describe("Posts the sign-in form and redirects back to the client with a code or a token."),
			framework.Tags("auth"), framework.OperationID("authorizeLogin"))
		r.Raw(http.MethodGet, "/.well-known/openid-configuration", func() gin.HandlerFunc { return discoveryHandler(cfg) },
			framework.Doc(nil, OpenIDConfiguration{}),
			framework.Problems(http.StatusMethodNotAllowed),
			framework.Summary("OpenID Connect discovery document"),
			framework.Tags("auth"), framework.OperationID("openidConfiguration"))
		r.Raw(http.MethodGet, "/.well-known/jwks.json", func(k *Keys) gin.HandlerFunc { return gin.WrapH(k.Verify.JWKSHandler()) },
			framework.Doc(nil, token.JWKS{}),
			framework.Problems(http.StatusMethodNotAllowed),
			framework.Summary("The public signing keys (JWKS)"),
			framework.Tags("auth"), framework.OperationID("jwks"))

		me := r.Group("/users/me", framework.Scopes(scopeMe), framework.Tags("users"))
		me.GET("", readMe, framework.Summary("Read your profile"), framework.OperationID("readMe"))
		me.GET("/items", readMyItems, framework.Scopes(scopeItems),
			framework.Summary("Read your items"), framework.OperationID("readMyItems"))

		r.GET("/status", status, framework.Summary("Check a token"),
			framework.Describe("Any valid access token, whatever its scopes."),
			framework.Tags("users"), framework.OperationID("status"))
		r.GET("/items", listItems, framework.Summary("List items"),
			framework.Describe("Anonymous callers see the public items; with a token, your own items too. "+
				"A token that is sent but invalid is refused."),
			framework.Tags("items"), framework.OperationID("listItems"))
		r.GET("/reports", reports, framework.Summary("Read reports"),
			framework.Describe("Either a bearer token or the X-API-Key header."),
			framework.Tags("items"), framework.OperationID("readReports"))

		keys := r.Group("/api-key", framework.Tags("api-keys"))
		keys.GET("/header", apiKeyHeader, framework.Summary("API key in the X-API-Key header"), framework.OperationID("apiKeyHeader"))
		keys.GET("/query", apiKeyQuery, framework.Summary("API key in the api_key query parameter"), framework.OperationID("apiKeyQuery"))
		keys.GET("/cookie", apiKeyCookie, framework.Summary("API key in the api_key cookie"), framework.OperationID("apiKeyCookie"))

		r.GET("/basic/whoami", basicWhoami, framework.Summary("HTTP Basic"), framework.Tags("http"), framework.OperationID("basicWhoami"))
		r.GET("/bearer/whoami", bearerWhoami, framework.Summary("HTTP bearer (JWT)"), framework.Tags("http"), framework.OperationID("bearerWhoami"))
		r.GET("/digest/whoami", digestWhoami, framework.Summary("HTTP Digest"), framework.Tags("http"), framework.OperationID("digestWhoami"))

		r.GET("/oidc/whoami", oidcWhoami, framework.Scopes(scopeOpenID), framework.Summary("OpenID Connect"),
			framework.Tags("oauth2"), framework.OperationID("oidcWhoami"))
		r.GET("/oauth2/client", clientInfo, framework.Scopes(scopeItems), framework.Summary("OAuth2 client credentials"),
			framework.Tags("oauth2"), framework.OperationID("oauth2Client"))
		r.GET("/oauth2/code", codeInfo, framework.Scopes(scopeItems), framework.Summary("OAuth2 authorization code with PKCE"),
			framework.Tags("oauth2"), framework.OperationID("oauth2Code"))
		r.GET("/oauth2/implicit", implicitInfo, framework.Scopes(scopeItems), framework.Summary("OAuth2 implicit (discouraged)"),
			framework.Describe("The implicit grant is kept for completeness; OAuth 2.0 Security BCP discourages it."),
			framework.Tags("oauth2"), framework.OperationID("oauth2Implicit"))
	}
}
