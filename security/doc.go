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
