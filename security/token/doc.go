// Package token issues and verifies JWT access tokens on golang-jwt/jwt/v5,
// with key rotation, a JWKS endpoint, revocation, and a ready dependency
// that turns a bearer-token scheme into verified claims.
//
// # Keys
//
// A [Key] pairs key material with its key id and its one algorithm: HS256
// ([NewHMACKey], a secret of at least 32 bytes), or RS256, ES256 and EdDSA
// ([GenerateKey], [NewKey]). A [KeySet] signs with one key and verifies with
// all of them, found by the kid header. [KeySet.Rotate] switches the signing
// key while tokens signed by the old one keep verifying until
// [KeySet.Retire]. [KeySet.JWKSHandler] publishes the public keys as a JSON
// Web Key Set (RFC 7517); HMAC secrets never appear in it.
//
// # Issuing
//
// An [Issuer] signs access tokens in the shape of RFC 9068: iss, sub, aud,
// iat, nbf, exp, a random jti, the granted scope and the client_id, with
// typ "at+jwt" and the kid in the header. [Issuer.IssueAccessToken] is the
// method an OAuth2 token endpoint calls.
//
// # Verifying
//
// A [Verifier] follows RFC 8725. Its issuer, audience and algorithm
// allow-list are required; "none" can never be allowed; exp is required;
// nbf and iat must not be in the future; the algorithm must match the key
// the kid names, so a token cannot turn an RSA public key into an HMAC
// secret; sub and jti are required; oversized tokens are refused before
// parsing; and an optional [RevocationChecker] can refuse a jti. Each
// refusal wraps [ErrInvalidToken] and one specific sentinel such as
// [ErrExpired] or [ErrRevoked]. The clock is injectable.
//
// # The bearer dependency
//
// [BearerClaims] verifies the token of any bearer scheme of the security
// package and enforces the route's scopes, answering as RFC 6750 says: 401
// with `Bearer error="invalid_token"` for a bad token, 403 with
// `Bearer error="insufficient_scope", scope="..."` for a missing scope.
// Register it with the framework once per scheme type:
//
//	framework.Provide(token.BearerClaims[security.OAuth2PasswordBearer])
//
// Without the framework, call [Verifier.VerifyScoped].
package token
