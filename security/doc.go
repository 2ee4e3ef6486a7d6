// Package security holds the security schemes of OpenAPI 3.0 as Go values that
// both enforce and describe themselves.
//
// # One value, two jobs
//
// A scheme such as [OAuth2PasswordBearer] or [APIKeyHeader] reads and checks the
// credential of each request ([Scheme.Authenticate]) and describes itself as an
// OpenAPI Security Scheme Object ([Scheme.OpenAPI]). The Portcullis framework
// injects a scheme into any handler that declares it as a parameter, and puts
// the same scheme in the generated document, so enforcement and documentation
// cannot drift apart.
//
// # The schemes
//
//   - API keys: [APIKeyHeader], [APIKeyQuery], [APIKeyCookie], checked by a
//     Validate function; [StaticKeys] compares in constant time.
//   - HTTP: [HTTPBasic] (RFC 7617), [HTTPBearer] (RFC 6750), [HTTPDigest]
//     (RFC 7616, with nonce expiry and replay protection in [DigestNonces]).
//   - OAuth2: [OAuth2PasswordBearer], [OAuth2ClientCredentials],
//     [OAuth2AuthorizationCodeBearer], [OAuth2Implicit] and the general
//     [OAuth2]. They extract the bearer token; the token package verifies it
//     and enforces scopes.
//   - [OpenIdConnect], which verifies tokens through the issuer's discovery
//     document and JWKS with [OIDCVerifier].
//
// Each has a SchemeID (its name in the document), a Description, and an
// Optional mode in which a missing credential is allowed while a bad one is
// still refused.
//
// # Forms
//
// [OAuth2PasswordRequestForm], [OAuth2PasswordRequestFormStrict] and
// [OAuth2ClientCredentialsRequestForm] bind the token endpoint's form,
// taking client credentials from HTTP Basic when the form lacks them.
//
// # Without the framework
//
// Nothing here imports the framework. Every scheme also works as plain gin
// middleware through [HandlerFunc], and [From] reads the authenticated scheme
// back in a handler.
//
// # Errors
//
// Refusals are [*Error] values that carry the HTTP status and the
// WWW-Authenticate challenges. They wrap one of the sentinels of errors.go, so
// callers can tell a missing credential ([ErrNoCredentials]) from a bad one
// ([ErrInvalidCredentials]) with errors.Is.
package security
