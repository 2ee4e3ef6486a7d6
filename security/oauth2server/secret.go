package oauth2server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// secretBytes is the entropy of authorization codes and refresh tokens.
const secretBytes = 32

// newSecret returns a random 32-byte value, base64url encoded without
// padding (43 characters).
func newSecret() string {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// digest returns the SHA-256 of a code or refresh token, base64url encoded.
// Stores only ever see digests. A fast hash is enough: the inputs are random
// 256-bit values, not passwords.
func digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// equalDigest compares two digests in constant time.
func equalDigest(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// PKCE (RFC 7636 §4.1 and §4.2): a verifier is 43 to 128 unreserved
// characters, and an S256 challenge is the base64url SHA-256 of the verifier,
// which is always 43 characters.
const (
	pkceS256           = "S256"
	pkceVerifierMin    = 43
	pkceVerifierMax    = 128
	pkceChallengeBytes = 43
)

func isUnreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// validVerifier reports whether v is a well-formed code_verifier.
func validVerifier(v string) bool {
	if len(v) < pkceVerifierMin || len(v) > pkceVerifierMax {
		return false
	}
	for i := 0; i < len(v); i++ {
		if !isUnreserved(v[i]) {
			return false
		}
	}
	return true
}

// validChallenge reports whether c can be an S256 code_challenge.
func validChallenge(c string) bool {
	if len(c) != pkceChallengeBytes {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(c)
	return err == nil
}

// s256 computes the S256 challenge of a verifier.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// verifyPKCE checks verifier against an S256 challenge in constant time.
func verifyPKCE(verifier, challenge string) bool {
	if !validVerifier(verifier) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(challenge)) == 1
}
