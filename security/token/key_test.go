package token_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/portcullis/portcullis/security/token"
)

func TestNewHMACKey(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123456789abcdef")
	tests := []struct {
		name    string
		id      string
		secret  []byte
		wantID  string // "" means derived
		wantErr bool
	}{
		{"32 bytes with id", "k1", secret, "k1", false},
		{"longer secret", "k2", append(bytes.Clone(secret), "more"...), "k2", false},
		{"derived id", "", secret, "", false},
		{"31 bytes", "k3", secret[:31], "", true},
		{"empty", "k4", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := token.NewHMACKey(tt.id, tt.secret)
			if tt.wantErr {
				if !errors.Is(err, token.ErrConfig) {
					t.Fatalf("NewHMACKey error = %v, want ErrConfig", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if k.Algorithm != token.HS256 || k.Public != nil || !bytes.Equal(k.Private.([]byte), tt.secret) {
				t.Fatalf("key = %#v with private %v", k, k.Private)
			}
			if tt.wantID != "" && k.ID != tt.wantID {
				t.Fatalf("ID = %q, want %q", k.ID, tt.wantID)
			}
			if tt.wantID == "" && (k.ID == "" || strings.Contains(k.ID, string(secret[:8]))) {
				t.Fatalf("derived ID = %q", k.ID)
			}
		})
	}

	t.Run("derived ids are stable and differ per secret", func(t *testing.T) {
		t.Parallel()
		a1, _ := token.NewHMACKey("", secret)
		a2, _ := token.NewHMACKey("", bytes.Clone(secret))
		b, _ := token.NewHMACKey("", bytes.ToUpper(secret))
		if a1.ID != a2.ID || a1.ID == b.ID {
			t.Fatalf("ids %q, %q, %q: want the first two equal and the third different", a1.ID, a2.ID, b.ID)
		}
	})
	t.Run("the secret is copied", func(t *testing.T) {
		t.Parallel()
		mine := bytes.Clone(secret)
		k, err := token.NewHMACKey("k", mine)
		if err != nil {
			t.Fatal(err)
		}
		mine[0] ^= 0xff
		if !bytes.Equal(k.Private.([]byte), secret) {
			t.Fatal("changing the caller's slice changed the key")
		}
	})
}

func TestGenerateKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		alg     string
		check   func(pub any) bool
		wantErr bool
	}{
		{token.RS256, func(pub any) bool { p, ok := pub.(*rsa.PublicKey); return ok && p.N.BitLen() == 2048 }, false},
		{token.ES256, func(pub any) bool { p, ok := pub.(*ecdsa.PublicKey); return ok && p.Curve == elliptic.P256() }, false},
		{token.EdDSA, func(pub any) bool { _, ok := pub.(ed25519.PublicKey); return ok }, false},
		{token.HS256, nil, true},
		{"none", nil, true},
		{"PS256", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			t.Parallel()
			var (
				k   token.Key
				err error
			)
			if tt.alg == token.RS256 {
				k = rsaKey(t, 0)
			} else {
				k, err = token.GenerateKey(tt.alg)
			}
			if tt.wantErr {
				if !errors.Is(err, token.ErrConfig) {
					t.Fatalf("GenerateKey(%q) error = %v, want ErrConfig", tt.alg, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if k.Algorithm != tt.alg || k.Private == nil || !tt.check(k.Public) {
				t.Fatalf("GenerateKey(%q) = %v with public %T", tt.alg, k, k.Public)
			}
			thumb, err := token.Thumbprint(k.Public)
			if err != nil || k.ID != thumb {
				t.Fatalf("ID = %q, want the thumbprint %q (%v)", k.ID, thumb, err)
			}
		})
	}
}

// TestThumbprintRFC7638 checks the example of RFC 7638 §3.1.
func TestThumbprintRFC7638(t *testing.T) {
	t.Parallel()
	const n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
	raw, err := base64.RawURLEncoding.DecodeString(n)
	if err != nil {
		t.Fatal(err)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(raw), E: 65537}
	got, err := token.Thumbprint(pub)
	if err != nil {
		t.Fatal(err)
	}
	if want := "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"; got != want {
		t.Fatalf("Thumbprint = %q, want %q", got, want)
	}
	if _, err := token.Thumbprint([]byte("secret")); !errors.Is(err, token.ErrConfig) {
		t.Fatalf("Thumbprint of a secret: %v, want ErrConfig", err)
	}
	if _, err := token.Thumbprint(&rsa.PublicKey{}); !errors.Is(err, token.ErrConfig) {
		t.Fatalf("Thumbprint of an empty RSA key: %v, want ErrConfig", err)
	}
}

func TestNewKeyChecks(t *testing.T) {
	t.Parallel()
	rs := rsaKey(t, 0)
	other := rsaKey(t, 1)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	edPub, edPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	secret := bytes.Repeat([]byte("s"), 32)

	tests := []struct {
		name    string
		key     token.Key
		wantErr string // "" for a valid key
	}{
		{"RSA", token.Key{ID: "a", Algorithm: token.RS256, Private: rs.Private}, ""},
		{"RSA public only", token.Key{ID: "a", Algorithm: token.RS256, Public: rs.Public}, ""},
		{"EC", token.Key{ID: "a", Algorithm: token.ES256, Private: ec}, ""},
		{"Ed25519", token.Key{ID: "a", Algorithm: token.EdDSA, Private: edPriv}, ""},
		{"Ed25519 public only", token.Key{ID: "a", Algorithm: token.EdDSA, Public: edPub}, ""},
		{"HMAC", token.Key{ID: "a", Algorithm: token.HS256, Private: secret}, ""},

		{"no id", token.Key{Algorithm: token.HS256, Private: secret}, "has no ID"},
		{"no algorithm", token.Key{ID: "a", Private: secret}, "no algorithm"},
		{"unsupported algorithm", token.Key{ID: "a", Algorithm: "HS512", Private: secret}, "unsupported algorithm"},
		{"nothing", token.Key{ID: "a", Algorithm: token.RS256}, "Public must be *rsa.PublicKey"},
		{"EC key for RS256", token.Key{ID: "a", Algorithm: token.RS256, Private: ec}, "Private must be *rsa.PrivateKey"},
		{"RSA key for ES256", token.Key{ID: "a", Algorithm: token.ES256, Private: rs.Private}, "Private must be *ecdsa.PrivateKey"},
		{"RSA key for EdDSA", token.Key{ID: "a", Algorithm: token.EdDSA, Public: rs.Public}, "Public must be ed25519.PublicKey"},
		{"RSA public key for HS256", token.Key{ID: "a", Algorithm: token.HS256, Private: rs.Public}, "Private must be the secret"},
		{"short HMAC secret", token.Key{ID: "a", Algorithm: token.HS256, Private: secret[:31]}, "at least 32 bytes"},
		{"HMAC with a public part", token.Key{ID: "a", Algorithm: token.HS256, Private: secret, Public: rs.Public}, "no public part"},
		{"1024-bit RSA", token.Key{ID: "a", Algorithm: token.RS256, Private: small}, "at least 2048 bits"},
		{"P-384 for ES256", token.Key{ID: "a", Algorithm: token.ES256, Private: p384}, "needs a P-256 key"},
		{"short Ed25519 key", token.Key{ID: "a", Algorithm: token.EdDSA, Public: edPub[:16]}, "has 32 bytes"},
		{"mismatched RSA halves", token.Key{ID: "a", Algorithm: token.RS256, Private: rs.Private, Public: other.Public}, "does not match"},
		{"mismatched Ed25519 halves", token.Key{ID: "a", Algorithm: token.EdDSA, Private: edPriv, Public: ed25519.PublicKey(bytes.Repeat([]byte{1}, 32))}, "does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := keySetErr(tt.key)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("NewKeySet: %v", err)
				}
				return
			}
			if !errors.Is(err, token.ErrConfig) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewKeySet error = %v, want ErrConfig mentioning %q", err, tt.wantErr)
			}
		})
	}

	t.Run("NewKey and NewPublicKey", func(t *testing.T) {
		t.Parallel()
		k, err := token.NewKey("", token.ES256, ec)
		if err != nil {
			t.Fatal(err)
		}
		p, err := token.NewPublicKey("", token.ES256, &ec.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		if k.ID == "" || k.ID != p.ID || p.Private != nil || !ec.PublicKey.Equal(k.Public) {
			t.Fatalf("NewKey = %v, NewPublicKey = %v: want the same thumbprint id", k, p)
		}
		if _, err := token.NewKey("x", token.ES256, nil); !errors.Is(err, token.ErrConfig) {
			t.Fatalf("NewKey(nil) error = %v", err)
		}
		if _, err := token.NewPublicKey("x", token.ES256, nil); !errors.Is(err, token.ErrConfig) {
			t.Fatalf("NewPublicKey(nil) error = %v", err)
		}
		if _, err := token.NewKey("x", token.RS256, ec); !errors.Is(err, token.ErrConfig) {
			t.Fatalf("NewKey(EC key for RS256) error = %v", err)
		}
	})
}

// keySetErr builds a key set around k: as signing key when it can sign,
// else as a verify-only key.
func keySetErr(k token.Key) error {
	if k.Private == nil {
		signer, err := token.NewHMACKey("signer", bytes.Repeat([]byte("x"), 32))
		if err != nil {
			return err
		}
		_, err = token.NewKeySet(signer, k)
		return err
	}
	_, err := token.NewKeySet(k)
	return err
}

func TestKeyPrintsNoSecret(t *testing.T) {
	t.Parallel()
	secret := []byte("this-is-the-very-secret-hmac-key!")
	k, err := token.NewHMACKey("k1", secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, k)
		if strings.Contains(out, "very-secret") || strings.Contains(out, fmt.Sprint(secret[:4])[1:8]) {
			t.Fatalf("Sprintf(%q) = %q shows the secret", verb, out)
		}
		if !strings.Contains(out, "k1") || !strings.Contains(out, "HS256") {
			t.Fatalf("Sprintf(%q) = %q, want the id and algorithm", verb, out)
		}
	}
}
