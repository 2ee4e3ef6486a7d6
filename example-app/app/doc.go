// Package app wires example-app: the reference API of Portcullis on its
// embedded SQLite store. [Options] returns everything fx.New needs; main
// only reads the environment and runs them.
//
// # Schemes
//
// Every security scheme of OpenAPI 3.0 guards at least one working route:
// the OAuth2 password flow (/users/me, /status, /items, /reports), HTTP
// bearer (/bearer/whoami), API keys in a header, the query and a cookie,
// HTTP Basic and Digest against the users table, OAuth2 client credentials,
// authorization code with PKCE and implicit, and OpenID Connect.
//
// # Clients
//
// The store seeds two OAuth2 clients. demo-client is confidential: it
// authenticates with its secret, demo-secret, and may only use the client
// credentials grant for the scope items. swagger-ui is the public client
// of the Swagger UI page, which cannot keep a secret: it sends its id
// alone, may use the password, authorization code (PKCE required),
// implicit and refresh token grants, and only Swagger UI's
// oauth2-redirect.html pages are its redirect URIs. Swagger UI's Authorize
// dialog is set up with swagger-ui as its default client id.
//
// # Tokens
//
// Access tokens are HS256 JWTs signed with JWT_SECRET, or with a key the
// app generates on first start and keeps in the store. Tokens issued
// through a client (the authorization code grant) whose scope contains
// "openid" are ES256-signed with a key that is also kept in the
// store and published at /.well-known/jwks.json, so the OpenIdConnect
// scheme verifies them through the app's own discovery document. The
// bearer verifier accepts both keys; the key id selects the key and the
// algorithm must be the key's own.
package app
