package token

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strconv"
)

// JWKSCacheControl is the Cache-Control value [KeySet.JWKSHandler] sends.
// Five minutes keeps the load low; clients that meet an unknown kid, as
// go-oidc's key sets do, fetch the set again at once.
const JWKSCacheControl = "public, max-age=300"

// JWKS is a JSON Web Key Set (RFC 7517 §5).
type JWKS struct {
	// Keys are the public keys. The list is empty, never null.
	Keys []JWK `json:"keys"`
}

// JWK is a public JSON Web Key (RFC 7517 §4) for RSA, P-256 or Ed25519.
type JWK struct {
	// KeyType is "RSA", "EC" or "OKP".
	KeyType string `json:"kty"`
	// KeyID is the key id that tokens name in their kid header.
	KeyID string `json:"kid"`
	// Use is always "sig".
	Use string `json:"use"`
	// Algorithm is the JWA name: RS256, ES256 or EdDSA.
	Algorithm string `json:"alg"`
	// Curve is "P-256" or "Ed25519" for EC and OKP keys.
	Curve string `json:"crv,omitempty"`
	// N is the RSA modulus.
	N string `json:"n,omitempty"`
	// E is the RSA public exponent.
	E string `json:"e,omitempty"`
	// X is the x coordinate of an EC key, or the Ed25519 public key.
	X string `json:"x,omitempty"`
	// Y is the y coordinate of an EC key.
	Y string `json:"y,omitempty"`
}

// JWKS returns the public keys of the set, oldest first. HMAC keys are
// shared secrets and never appear.
func (ks *KeySet) JWKS() JWKS {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	set := JWKS{Keys: make([]JWK, 0, len(ks.order))}
	for _, kid := range ks.order {
		if jwk, ok := publicJWK(ks.keys[kid]); ok {
			set.Keys = append(set.Keys, jwk)
		}
	}
	return set
}

// JWKSHandler serves the set's [KeySet.JWKS] as application/json, with
// Cache-Control [JWKSCacheControl]. It answers GET and HEAD, and 405 to
// other methods. Each request sees the keys as they are at that moment.
func (ks *KeySet) JWKSHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := json.Marshal(ks.JWKS())
		if err != nil {
			// JWKS holds only strings; marshalling cannot fail.
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", JWKSCacheControl)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body) // a failed write means the client left
		}
	})
}

// publicJWK returns the public JWK of k, or false for an HMAC key.
func publicJWK(k Key) (JWK, bool) {
	jwk := JWK{KeyID: k.ID, Use: "sig", Algorithm: k.Algorithm}
	switch pub := k.Public.(type) {
	case *rsa.PublicKey:
		jwk.KeyType, jwk.N, jwk.E = "RSA", b64(pub.N.Bytes()), rsaExponent(pub)
	case *ecdsa.PublicKey:
		x, y, err := ecPoint(pub)
		if err != nil {
			return JWK{}, false // checkKey let only P-256 keys in
		}
		jwk.KeyType, jwk.Curve, jwk.X, jwk.Y = "EC", "P-256", x, y
	case ed25519.PublicKey:
		jwk.KeyType, jwk.Curve, jwk.X = "OKP", "Ed25519", b64(pub)
	default:
		return JWK{}, false
	}
	return jwk, true
}
