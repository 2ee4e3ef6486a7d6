// Package oauth2server is a small OAuth2 authorization server for gin: a
// token endpoint (RFC 6749 §4.1.3, §4.3, §4.4, §5 and §6) and an
// authorization endpoint for the authorization code grant with PKCE
// (RFC 7636), enough for an API's own clients and for Swagger UI's
// password, clientCredentials and authorizationCode flows.
//
//	srv, err := oauth2server.New(oauth2server.Config{
//		Users: users, Clients: clients, Codes: codes, Refresh: refresh,
//		Issuer: issuer, Hasher: password.New(),
//	})
//	r.POST("/token", srv.TokenHandler())
//	r.GET("/authorize", srv.AuthorizeHandler())
//	r.POST("/authorize", srv.AuthorizeHandler())
//
// The package never imports the framework: the handlers are plain
// gin.HandlerFunc values.
//
// # Grants
//
// The token endpoint takes POST requests with an
// application/x-www-form-urlencoded body of at most Config.MaxBodyBytes.
// grant_type may be password, client_credentials, refresh_token or
// authorization_code; a request without grant_type is a password grant, as
// in FastAPI. A grant whose store is not configured answers
// unsupported_grant_type. Secret parameters (password, client_secret,
// refresh_token, code, code_verifier) are refused in the URL, and a
// parameter sent twice is an invalid_request.
//
// The password grant does the same work for an unknown user as for a wrong
// password (one password verification, [PasswordHasher.VerifyDummy] for the
// unknown user) and gives the same answer: invalid_grant, "incorrect
// username or password". A disabled user is refused only after the password
// was verified. When the hasher reports outdated parameters, the stored hash
// is replaced with a fresh one.
//
// # Client authentication
//
// A client authenticates with client_id and client_secret in the body or
// with HTTP Basic, whose user name and password are form-urlencoded first
// (RFC 6749 §2.3.1); sending the secret both ways is an invalid_request. A
// failed authentication answers invalid_client, with 401 and a Basic
// challenge when the client used Basic and 400 otherwise. Public clients
// send their client_id without a secret. An empty Basic pair (":"), which
// Swagger UI sends when no client is configured, counts as no client.
//
// The password grant works without a client. The client credentials grant
// needs a confidential client and issues a token whose subject is the
// client. The authorization code grant needs the client the code was issued
// to. [Client.Grants] limits the grants a client may use; an empty list
// allows all its type supports.
//
// # Scopes
//
// A user may be granted the scopes of [User.Scopes], cut down to
// [Client.Scopes] when a client takes part. A request without scope gets
// all of them: that is the server's default of RFC 6749 §3.3, and it lets
// Swagger UI work when no scope box is ticked. A request with scopes gets
// those that are allowed; when none is, or when one is not in
// Config.KnownScopes, the answer is invalid_scope. Every successful answer
// carries a scope member with what was granted, even when it is empty.
//
// # Refresh tokens
//
// With Config.Refresh set, the password and authorization code grants also
// return a refresh token, valid for Config.RefreshTTL. Refresh tokens
// rotate: each one can be exchanged once, for an access token and a new
// refresh token of the same family. Presenting a used refresh token again
// means it leaked, so the whole family is revoked, the newest token
// included, and the answer is invalid_grant. A refresh may narrow the scope
// but never widen it, and the user is looked up again, so a disabled user
// cannot refresh.
//
// Codes and refresh tokens are random 32-byte values, base64url encoded.
// Stores only see their SHA-256 digests. Client secrets are verified with
// the [PasswordHasher]. [NewMemoryStores] returns in-memory stores for a
// single instance and for tests.
//
// # Authorization endpoint
//
// GET checks the client and the exact redirect_uri first; when either is
// wrong the user sees an error page, never a redirect. Other problems
// (response_type other than code, a missing PKCE challenge, a method other
// than S256, an unknown scope) are sent back to the client as
// error=...&state=... (RFC 6749 §4.1.2.1). A good request gets a
// server-rendered login form without scripts or external assets; its inputs
// have the ids username and password and its submit button the id login.
// Error pages and refused logins are HTML for browsers; a client whose
// Accept header asks for JSON and not for text/html gets the same message
// as an RFC 9457 problem (application/problem+json) instead.
//
// The form carries the request parameters as hidden fields and a form
// token: an HMAC with Config.FormKey over the parameters, the time and a
// random nonce kept in a SameSite=Strict, HttpOnly cookie. POST accepts the
// form only from the browser that holds the cookie, with unchanged
// parameters, within Config.FormTTL. After a good login it redirects with a
// single-use code valid for Config.CodeTTL and the state unchanged; a
// wrong login re-renders the form with one message for a wrong password,
// an unknown user and a disabled user. There is no consent screen: signing
// in grants the request, and the Cancel button answers access_denied.
//
// # Rate limiting
//
// Every token request and login attempt takes a token from a bucket per
// client address (gin's Context.ClientIP), and password logins also from a
// bucket per username (golang.org/x/time/rate, Config.LoginRate and
// Config.LoginBurst). An exhausted bucket answers 429 with Retry-After in
// seconds and the error code slow_down, which the OAuth extensions error
// registry defines for the token endpoint; the login form is re-rendered
// with status 429 instead. The buckets live in a map bounded by
// Config.LimiterEntries, which forgets the least recently seen keys first.
// An attacker with many addresses can therefore flush a username's bucket;
// the limiter slows guessing, it does not lock accounts. ClientIP trusts
// X-Forwarded-For from any peer unless the gin engine's trusted proxies are
// set, so set them (engine.SetTrustedProxies) in production.
//
// # Errors
//
// Error answers follow RFC 6749 §5.2: status 400 (401 for invalid_client
// after Basic, 405 for a method other than POST, 413 for an oversized body,
// 429 for slow_down, 500 for a store or issuer failure), Content-Type
// application/json and a body {"error", "error_description", "detail"}; the
// detail repeats the description for FastAPI clients. All answers carry
// Cache-Control: no-store. Store and issuer errors are logged and answered
// with a generic server_error; the log never sees a password, secret, code
// or token.
//
// # Not done
//
// Reusing an authorization code is refused and revokes the refresh tokens
// of its first use (RFC 6749 §4.1.2), rotated ones included; the access
// token of that use is not revoked and lives until it expires, so keep
// access tokens short-lived. There is no token revocation or introspection
// endpoint and no consent screen.
package oauth2server
