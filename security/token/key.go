package token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// The signing algorithms this package supports, by their JWA names
// (RFC 7518, RFC 8037).
const (
	// HS256 is HMAC with SHA-256, a shared secret.
	HS256 = "HS256"
	// RS256 is RSASSA-PKCS1-v1_5 with SHA-256.
	RS256 = "RS256"
	// ES256 is ECDSA on P-256 with SHA-256.
	ES256 = "ES256"
	// EdDSA is Ed25519.
	EdDSA = "EdDSA"
)

// Key size floors.
const (
	// MinHMACSecret is the shortest HS256 secret NewHMACKey accepts, in
	// bytes: as long as the hash output, as RFC 7518 §3.2 requires.
	MinHMACSecret = 32
	// MinRSABits is the smallest RSA modulus accepted, in bits.
	MinRSABits = 2048
)

// Key is a signing or verification key with its key id and algorithm.
//
// For HS256, Private holds the secret as a []byte and Public is nil. For the
// other algorithms Private is *rsa.PrivateKey, *ecdsa.PrivateKey or
// ed25519.PrivateKey and Public the matching public key; a verification-only
// key has a nil Private. Build keys with [NewHMACKey], [GenerateKey],
// [NewKey] or [NewPublicKey], which check that the parts agree.
//
// Printing a Key with the fmt package shows only its id and algorithm.
type Key struct {
	// ID is the key id, sent as the kid header of the tokens it signs.
	ID string
	// Algorithm is the JWA name of the one algorithm the key is used with.
	Algorithm string
	// Private signs tokens: an HMAC secret ([]byte) or a private key.
	Private crypto.PrivateKey
	// Public verifies tokens signed by the matching private key.
	Public crypto.PublicKey
}

// String describes k without its key material.
func (k Key) String() string {
	return fmt.Sprintf("token.Key{ID: %q, Algorithm: %q}", k.ID, k.Algorithm)
}

// GoString describes k without its key material, for the %#v verb.
func (k Key) GoString() string { return k.String() }

// NewHMACKey returns an HS256 key. It refuses secrets shorter than
// [MinHMACSecret] bytes, and keeps a copy of secret. When id is empty, it is
// derived from the secret with HMAC-SHA-256, so the same secret gets the same
// id after a restart; the id reveals no more about the secret than any token
// signed with it.
func NewHMACKey(id string, secret []byte) (Key, error) {
	if len(secret) < MinHMACSecret {
		return Key{}, fmt.Errorf("%w: an HS256 secret needs at least %d bytes, got %d", ErrConfig, MinHMACSecret, len(secret))
	}
	if id == "" {
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte("portcullis token key id"))
		id = base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
	}
	return Key{ID: id, Algorithm: HS256, Private: append([]byte(nil), secret...)}, nil
}

// GenerateKey makes a new key pair for alg: RS256 (2048-bit RSA), ES256
// (P-256) or EdDSA (Ed25519). Its id is the RFC 7638 thumbprint of the
// public key. For HS256 use [NewHMACKey] with a secret of your own.
func GenerateKey(alg string) (Key, error) {
	var (
		priv crypto.PrivateKey
		err  error
	)
	switch alg {
	case RS256:
		priv, err = rsa.GenerateKey(rand.Reader, MinRSABits)
	case ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case EdDSA:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	case HS256:
		return Key{}, fmt.Errorf("%w: GenerateKey makes key pairs; use NewHMACKey for HS256", ErrConfig)
	default:
		return Key{}, fmt.Errorf("%w: unsupported algorithm %q (use RS256, ES256 or EdDSA)", ErrConfig, alg)
	}
	if err != nil {
		return Key{}, fmt.Errorf("token: generating an %s key: %w", alg, err)
	}
	return NewKey("", alg, priv)
}

// NewKey wraps an existing private key for alg: *rsa.PrivateKey for RS256,
// *ecdsa.PrivateKey on P-256 for ES256, or ed25519.PrivateKey for EdDSA.
// When id is empty it is the RFC 7638 thumbprint of the public key.
func NewKey(id, alg string, private crypto.PrivateKey) (Key, error) {
	if private == nil {
		return Key{}, fmt.Errorf("%w: NewKey needs a private key", ErrConfig)
	}
	return completeKey(Key{ID: id, Algorithm: alg, Private: private})
}

// NewPublicKey returns a verification-only key for alg: *rsa.PublicKey,
// *ecdsa.PublicKey on P-256 or ed25519.PublicKey. When id is empty it is the
// RFC 7638 thumbprint of the key.
func NewPublicKey(id, alg string, public crypto.PublicKey) (Key, error) {
	if public == nil {
		return Key{}, fmt.Errorf("%w: NewPublicKey needs a public key", ErrConfig)
	}
	return completeKey(Key{ID: id, Algorithm: alg, Public: public})
}

// completeKey fills in the id from the thumbprint when it is empty, then
// checks k.
func completeKey(k Key) (Key, error) {
	k, err := checkKey(k, true)
	if err != nil {
		return Key{}, err
	}
	if k.ID == "" && k.Public != nil {
		if k.ID, err = Thumbprint(k.Public); err != nil {
			return Key{}, err
		}
	}
	return k, nil
}

// checkKey reports whether the parts of k agree and are strong enough, and
// returns k with Public derived from Private when Public is nil. An HMAC
// secret is copied, so later changes to the caller's slice do not reach the
// key set. Unless allowNoID, the id must be set.
func checkKey(k Key, allowNoID bool) (Key, error) {
	if k.ID == "" && !allowNoID {
		return Key{}, fmt.Errorf("%w: key %s has no ID", ErrConfig, k.Algorithm)
	}
	bad := func(format string, args ...any) (Key, error) {
		return Key{}, fmt.Errorf("%w: key %q (%s): %s", ErrConfig, k.ID, k.Algorithm, fmt.Sprintf(format, args...))
	}
	switch k.Algorithm {
	case HS256:
		secret, ok := k.Private.([]byte)
		if !ok {
			return bad("Private must be the secret as []byte, not %T", k.Private)
		}
		if len(secret) < MinHMACSecret {
			return bad("the secret needs at least %d bytes, got %d", MinHMACSecret, len(secret))
		}
		if k.Public != nil {
			return bad("an HMAC key has no public part; leave Public nil")
		}
		k.Private = append([]byte(nil), secret...)
		return k, nil
	case RS256:
		if k.Private != nil {
			priv, ok := k.Private.(*rsa.PrivateKey)
			if !ok {
				return bad("Private must be *rsa.PrivateKey, not %T", k.Private)
			}
			if err := priv.Validate(); err != nil {
				return bad("invalid RSA key: %v", err)
			}
			if k.Public == nil {
				k.Public = &priv.PublicKey
			}
		}
		pub, ok := k.Public.(*rsa.PublicKey)
		if !ok {
			return bad("Public must be *rsa.PublicKey, not %T", k.Public)
		}
		if pub.N == nil || pub.N.BitLen() < MinRSABits {
			return bad("an RSA key needs at least %d bits", MinRSABits)
		}
		if pub.E < 3 || pub.E%2 == 0 {
			return bad("invalid RSA public exponent %d", pub.E)
		}
	case ES256:
		if k.Private != nil {
			priv, ok := k.Private.(*ecdsa.PrivateKey)
			if !ok {
				return bad("Private must be *ecdsa.PrivateKey, not %T", k.Private)
			}
			if k.Public == nil {
				k.Public = &priv.PublicKey
			}
		}
		pub, ok := k.Public.(*ecdsa.PublicKey)
		if !ok {
			return bad("Public must be *ecdsa.PublicKey, not %T", k.Public)
		}
		if pub.Curve != elliptic.P256() {
			return bad("ES256 needs a P-256 key")
		}
		if _, err := pub.Bytes(); err != nil {
			return bad("invalid P-256 public key: %v", err)
		}
	case EdDSA:
		if k.Private != nil {
			priv, ok := k.Private.(ed25519.PrivateKey)
			if !ok {
				return bad("Private must be ed25519.PrivateKey, not %T", k.Private)
			}
			if len(priv) != ed25519.PrivateKeySize {
				return bad("an Ed25519 private key has %d bytes, not %d", ed25519.PrivateKeySize, len(priv))
			}
			if k.Public == nil {
				k.Public = priv.Public()
			}
		}
		pub, ok := k.Public.(ed25519.PublicKey)
		if !ok {
			return bad("Public must be ed25519.PublicKey, not %T", k.Public)
		}
		if len(pub) != ed25519.PublicKeySize {
			return bad("an Ed25519 public key has %d bytes, not %d", ed25519.PublicKeySize, len(pub))
		}
	case "":
		return bad("no algorithm")
	default:
		return bad("unsupported algorithm (use HS256, RS256, ES256 or EdDSA)")
	}
	// The public key must be the private key's own.
	if signer, ok := k.Private.(crypto.Signer); ok {
		if eq, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !eq.Equal(k.Public) {
			return bad("Public does not match Private")
		}
	}
	return k, nil
}

// canSign reports whether k holds a private key or secret.
func (k Key) canSign() bool { return k.Private != nil }

// verificationKey returns the value jwt's signing method verifies with.
func (k Key) verificationKey() any {
	if k.Algorithm == HS256 {
		return k.Private
	}
	return k.Public
}

// signingMethod returns the jwt signing method of alg, which must be one of
// the supported algorithms.
func signingMethod(alg string) jwt.SigningMethod {
	switch alg {
	case HS256:
		return jwt.SigningMethodHS256
	case RS256:
		return jwt.SigningMethodRS256
	case ES256:
		return jwt.SigningMethodES256
	case EdDSA:
		return jwt.SigningMethodEdDSA
	}
	return nil
}

// sameMaterial reports whether a and b are the same key.
func sameMaterial(a, b Key) bool {
	if a.Algorithm != b.Algorithm {
		return false
	}
	if a.Algorithm == HS256 {
		sa, _ := a.Private.([]byte)
		sb, _ := b.Private.([]byte)
		return hmac.Equal(sa, sb)
	}
	eq, ok := a.Public.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b.Public)
}

// Thumbprint returns the RFC 7638 JWK thumbprint of an RSA, P-256 or
// Ed25519 public key: the unpadded base64url SHA-256 of the key's required
// JWK members in lexicographic order.
func Thumbprint(public crypto.PublicKey) (string, error) {
	var members any
	switch pub := public.(type) {
	case *rsa.PublicKey:
		if pub.N == nil || pub.E < 2 {
			return "", fmt.Errorf("%w: invalid RSA public key", ErrConfig)
		}
		members = struct {
			E   string `json:"e"`
			Kty string `json:"kty"`
			N   string `json:"n"`
		}{rsaExponent(pub), "RSA", b64(pub.N.Bytes())}
	case *ecdsa.PublicKey:
		x, y, err := ecPoint(pub)
		if err != nil {
			return "", err
		}
		members = struct {
			Crv string `json:"crv"`
			Kty string `json:"kty"`
			X   string `json:"x"`
			Y   string `json:"y"`
		}{"P-256", "EC", x, y}
	case ed25519.PublicKey:
		members = struct {
			Crv string `json:"crv"`
			Kty string `json:"kty"`
			X   string `json:"x"`
		}{"Ed25519", "OKP", b64(pub)}
	default:
		return "", fmt.Errorf("%w: no thumbprint for a %T", ErrConfig, public)
	}
	// The members hold only base64url and fixed names, which JSON writes
	// without escapes or spaces, as RFC 7638 §3 requires.
	canonical, err := json.Marshal(members)
	if err != nil {
		return "", fmt.Errorf("token: thumbprint: %w", err)
	}
	sum := sha256.Sum256(canonical)
	return b64(sum[:]), nil
}

// b64 is unpadded base64url, the encoding of JWK members.
func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// rsaExponent encodes an RSA public exponent as a big-endian base64url
// integer without leading zeros.
func rsaExponent(pub *rsa.PublicKey) string {
	e := uint64(pub.E)
	var buf []byte
	for ; e > 0; e >>= 8 {
		buf = append([]byte{byte(e)}, buf...)
	}
	return b64(buf)
}

// ecPoint returns the x and y coordinates of a P-256 key, each padded to 32
// bytes, as base64url.
func ecPoint(pub *ecdsa.PublicKey) (x, y string, err error) {
	if pub.Curve != elliptic.P256() {
		return "", "", fmt.Errorf("%w: only P-256 EC keys are supported", ErrConfig)
	}
	point, err := pub.Bytes() // 0x04 || X || Y
	if err != nil {
		return "", "", fmt.Errorf("%w: invalid EC key: %w", ErrConfig, err)
	}
	const size = 32
	return b64(point[1 : 1+size]), b64(point[1+size:]), nil
}
