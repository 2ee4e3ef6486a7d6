package token_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/golang-jwt/jwt/v5"

	"github.com/portcullis/portcullis/security/token"
)

func TestRotation(t *testing.T) {
	t.Parallel()
	c := newClock()
	old := hmacKey(t, "old", 1)
	next := generate(t, token.ES256)
	ks := keySet(t, old)
	iss := issuer(t, ks, c)
	v := verifier(t, ks, c, token.HS256, token.ES256)
	ctx := t.Context()

	oldRaw, _, err := iss.Issue("alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	ks.Rotate(next)
	if got := ks.SigningKeyID(); got != next.ID {
		t.Fatalf("SigningKeyID = %q, want %q", got, next.ID)
	}
	newRaw, _, err := iss.Issue("alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	if h := decodeHeader(t, newRaw); h["kid"] != next.ID || h["alg"] != token.ES256 {
		t.Fatalf("after Rotate the header is %v, want the new key", h)
	}
	if _, err := v.Verify(ctx, oldRaw); err != nil {
		t.Fatalf("a token of the old key after Rotate: %v", err)
	}
	if _, err := v.Verify(ctx, newRaw); err != nil {
		t.Fatalf("a token of the new key: %v", err)
	}

	ks.Retire(next.ID) // the signing key: ignored
	ks.Retire("no such key")
	if !slices.Equal(ks.KeyIDs(), []string{old.ID, next.ID}) || ks.SigningKeyID() != next.ID {
		t.Fatalf("after retiring the signing key and an unknown id: keys %q, signing %q", ks.KeyIDs(), ks.SigningKeyID())
	}

	ks.Retire(old.ID)
	_, err = v.Verify(ctx, oldRaw)
	checkRefusal(t, err, token.ErrUnknownKey)
	if _, err := v.Verify(ctx, newRaw); err != nil {
		t.Fatalf("the new key's token after retiring the old key: %v", err)
	}
	if !slices.Equal(ks.KeyIDs(), []string{next.ID}) {
		t.Fatalf("KeyIDs = %q", ks.KeyIDs())
	}
}

func TestRotateErrors(t *testing.T) {
	t.Parallel()
	signer := hmacKey(t, "a", 1)
	ed := generate(t, token.EdDSA)
	edPublic := token.Key{ID: ed.ID, Algorithm: ed.Algorithm, Public: ed.Public}
	tests := []struct {
		name    string
		next    token.Key
		wantErr string
	}{
		{"public key only", edPublic, "cannot sign"},
		{"id of a different key", hmacKey(t, "a", 2), "already used by a different key"},
		{"invalid key", token.Key{ID: "b", Algorithm: token.HS256, Private: []byte("short")}, "at least 32 bytes"},
		{"same key again", signer, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ks := keySet(t, signer)
			err := ks.TryRotate(tt.next)
			if tt.wantErr == "" {
				if err != nil || ks.SigningKeyID() != signer.ID || len(ks.KeyIDs()) != 1 {
					t.Fatalf("TryRotate = %v; keys %q", err, ks.KeyIDs())
				}
				return
			}
			if !errors.Is(err, token.ErrConfig) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("TryRotate error = %v, want ErrConfig mentioning %q", err, tt.wantErr)
			}
			if ks.SigningKeyID() != signer.ID {
				t.Fatal("a failed rotation changed the signing key")
			}
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), tt.wantErr) {
					t.Fatalf("Rotate panicked with %v, want a message mentioning %q", r, tt.wantErr)
				}
			}()
			ks.Rotate(tt.next)
		})
	}

	t.Run("publish first, then promote", func(t *testing.T) {
		t.Parallel()
		ks := keySet(t, signer)
		if err := ks.Add(edPublic); err != nil {
			t.Fatal(err)
		}
		if got := ks.JWKS().Keys; len(got) != 1 || got[0].KeyID != ed.ID {
			t.Fatalf("JWKS after Add = %+v, want the new public key", got)
		}
		if err := ks.TryRotate(ed); err != nil {
			t.Fatalf("promoting the published key: %v", err)
		}
		if ks.SigningKeyID() != ed.ID || !slices.Equal(ks.KeyIDs(), []string{signer.ID, ed.ID}) {
			t.Fatalf("signing %q, keys %q", ks.SigningKeyID(), ks.KeyIDs())
		}
		c := newClock()
		raw, _, err := issuer(t, ks, c).Issue("alice", nil)
		if err != nil {
			t.Fatalf("signing with the promoted key: %v", err)
		}
		if _, err := verifier(t, ks, c, token.EdDSA).Verify(t.Context(), raw); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("NewKeySet", func(t *testing.T) {
		t.Parallel()
		if _, err := token.NewKeySet(edPublic); !errors.Is(err, token.ErrConfig) {
			t.Fatalf("NewKeySet(public key) error = %v, want ErrConfig", err)
		}
		if _, err := token.NewKeySet(signer, hmacKey(t, "a", 9)); !errors.Is(err, token.ErrConfig) {
			t.Fatalf("NewKeySet(duplicate id) error = %v, want ErrConfig", err)
		}
		if _, err := token.NewKeySet(signer, signer); err != nil {
			t.Fatalf("NewKeySet(the same key twice) = %v, want no error", err)
		}
	})
}

func TestJWKS(t *testing.T) {
	t.Parallel()
	hs := hmacKey(t, "hs", 1)
	rs, es, ed := rsaKey(t, 0), generate(t, token.ES256), generate(t, token.EdDSA)
	ks := keySet(t, hs, rs, es, ed)

	set := ks.JWKS()
	var kids []string
	for _, k := range set.Keys {
		kids = append(kids, k.KeyID)
		if k.Use != "sig" {
			t.Errorf("key %s: use = %q, want sig", k.KeyID, k.Use)
		}
	}
	if !slices.Equal(kids, []string{rs.ID, es.ID, ed.ID}) {
		t.Fatalf("JWKS kids = %q, want the three public keys in order, without the HMAC key", kids)
	}
	want := []struct{ kty, alg, crv string }{{"RSA", token.RS256, ""}, {"EC", token.ES256, "P-256"}, {"OKP", token.EdDSA, "Ed25519"}}
	for i, w := range want {
		if k := set.Keys[i]; k.KeyType != w.kty || k.Algorithm != w.alg || k.Curve != w.crv {
			t.Errorf("key %d = %+v, want kty %s alg %s crv %q", i, k, w.kty, w.alg, w.crv)
		}
	}

	body, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	secret := hs.Private.([]byte)
	for _, leak := range []string{base64.RawURLEncoding.EncodeToString(secret), base64.StdEncoding.EncodeToString(secret), `"k"`, `"d"`, `"hs"`} {
		if strings.Contains(string(body), leak) {
			t.Fatalf("JWKS JSON contains %s: %s", leak, body)
		}
	}

	t.Run("only HMAC keys", func(t *testing.T) {
		t.Parallel()
		body, err := json.Marshal(keySet(t, hs).JWKS())
		if err != nil {
			t.Fatal(err)
		}
		if string(body) != `{"keys":[]}` {
			t.Fatalf("JWKS = %s, want an empty list", body)
		}
	})

	// Rebuild each public key from its JSON alone and verify a token with
	// it, which shows the members are encoded as RFC 7518 says.
	c := newClock()
	var parsed struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(body, &parsed); err != nil {
		t.Fatal(err)
	}
	for i, k := range []token.Key{rs, es, ed} {
		t.Run("rebuild "+k.Algorithm, func(t *testing.T) {
			t.Parallel()
			pub := rebuild(t, parsed.Keys[i])
			raw := signWith(t, k, validClaims())
			_, err := jwt.Parse(raw, func(*jwt.Token) (any, error) { return pub, nil },
				jwt.WithValidMethods([]string{k.Algorithm}), jwt.WithTimeFunc(c.Now))
			if err != nil {
				t.Fatalf("verifying with the key rebuilt from the JWKS: %v", err)
			}
		})
	}
}

// rebuild makes a Go public key from JWK members.
func rebuild(t *testing.T, m map[string]string) any {
	t.Helper()
	num := func(name string) *big.Int {
		b, err := base64.RawURLEncoding.DecodeString(m[name])
		if err != nil || len(b) == 0 {
			t.Fatalf("member %s = %q: %v", name, m[name], err)
		}
		return new(big.Int).SetBytes(b)
	}
	switch m["kty"] {
	case "RSA":
		return &rsa.PublicKey{N: num("n"), E: int(num("e").Int64())}
	case "EC":
		x, y := num("x").FillBytes(make([]byte, 32)), num("y").FillBytes(make([]byte, 32))
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		if err != nil {
			t.Fatal(err)
		}
		return pub
	case "OKP":
		b, err := base64.RawURLEncoding.DecodeString(m["x"])
		if err != nil || len(b) != ed25519.PublicKeySize {
			t.Fatalf("OKP x = %q: %v", m["x"], err)
		}
		return ed25519.PublicKey(b)
	}
	t.Fatalf("unexpected kty %q", m["kty"])
	return nil
}

func TestJWKSHandler(t *testing.T) {
	t.Parallel()
	ks := keySet(t, generate(t, token.EdDSA), hmacKey(t, "hs", 1))
	srv := httptest.NewServer(ks.JWKSHandler())
	t.Cleanup(srv.Close)

	tests := []struct {
		method     string
		wantStatus int
		wantBody   bool
	}{
		{http.MethodGet, http.StatusOK, true},
		{http.MethodHead, http.StatusOK, false},
		{http.MethodPost, http.StatusMethodNotAllowed, false},
		{http.MethodDelete, http.StatusMethodNotAllowed, false},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusMethodNotAllowed {
				if got := resp.Header.Get("Allow"); got != "GET, HEAD" {
					t.Fatalf("Allow = %q", got)
				}
				return
			}
			if ct, cc := resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"); ct != "application/json" || cc != token.JWKSCacheControl {
				t.Fatalf("Content-Type %q, Cache-Control %q", ct, cc)
			}
			if !tt.wantBody {
				if len(body) != 0 {
					t.Fatalf("HEAD answered with a body: %s", body)
				}
				return
			}
			var got token.JWKS
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if !slices.EqualFunc(got.Keys, ks.JWKS().Keys, func(a, b token.JWK) bool { return a == b }) {
				t.Fatalf("served %+v, want %+v", got, ks.JWKS())
			}
		})
	}
}

// TestJWKSWithOIDC checks the served JWKS with an independent client: the
// go-oidc remote key set, which fetches it over HTTP and verifies
// signatures with go-jose.
func TestJWKSWithOIDC(t *testing.T) {
	t.Parallel()
	c := newClock()
	rs, es, ed := rsaKey(t, 0), generate(t, token.ES256), generate(t, token.EdDSA)
	hs := hmacKey(t, "hs", 1)
	ks := keySet(t, rs, es, ed, hs)
	srv := httptest.NewServer(ks.JWKSHandler())
	t.Cleanup(srv.Close)
	ctx := oidc.ClientContext(t.Context(), srv.Client())
	remote := oidc.NewRemoteKeySet(ctx, srv.URL)

	iss := issuer(t, ks, c)
	for _, k := range []token.Key{rs, es, ed} {
		ks.Rotate(k)
		raw, _, err := iss.Issue("alice", []string{"me"})
		if err != nil {
			t.Fatal(err)
		}
		payload, err := remote.VerifySignature(ctx, raw)
		if err != nil {
			t.Fatalf("%s: go-oidc could not verify the token with the served JWKS: %v", k.Algorithm, err)
		}
		var claims token.Claims
		if err := json.Unmarshal(payload, &claims); err != nil || claims.Subject != "alice" || claims.Scope != "me" {
			t.Fatalf("%s: payload %s (%v)", k.Algorithm, payload, err)
		}
	}

	// go-oidc's full verifier checks iss, aud and exp against the same keys.
	ks.Rotate(rs)
	raw, _, err := iss.Issue("alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	idv := oidc.NewVerifier(testIssuer, remote, &oidc.Config{
		ClientID: testAudience, SupportedSigningAlgs: []string{oidc.RS256}, Now: c.Now,
	})
	if tok, err := idv.Verify(ctx, raw); err != nil || tok.Subject != "alice" {
		t.Fatalf("go-oidc Verify = %+v, %v", tok, err)
	}

	// A token signed with the HMAC key cannot be checked from the JWKS.
	ks.Rotate(hs)
	raw, _, err = iss.Issue("alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := remote.VerifySignature(ctx, raw); err == nil {
		t.Fatal("go-oidc verified an HS256 token: the JWKS leaks the secret")
	}

	// After the EdDSA key retires, the served set no longer verifies it.
	edRaw := signWith(t, ed, validClaims())
	ks.Retire(ed.ID)
	fresh := oidc.NewRemoteKeySet(ctx, srv.URL)
	if _, err := fresh.VerifySignature(ctx, edRaw); err == nil {
		t.Fatal("a retired key still verifies through the served JWKS")
	}
}

// TestKeySetConcurrency rotates, retires and reads the set while tokens are
// issued and verified; run it with -race.
func TestKeySetConcurrency(t *testing.T) {
	t.Parallel()
	c := newClock()
	first := hmacKey(t, "k0", 0)
	ks := keySet(t, first)
	iss := issuer(t, ks, c)
	v := verifier(t, ks, c, token.HS256)
	keys := []token.Key{first}
	for i := 1; i < 8; i++ {
		keys = append(keys, hmacKey(t, "k"+string(rune('0'+i)), byte(i*10)))
	}

	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 1; i < len(keys); i++ {
			ks.Rotate(keys[i])
			ks.Retire(keys[i-1].ID)
			_ = ks.JWKS()
		}
	})
	for range 4 {
		wg.Go(func() {
			for range 50 {
				raw, _, err := iss.Issue("alice", nil)
				if err != nil {
					t.Error(err)
					return
				}
				// The key may retire between Issue and Verify; any other
				// refusal is a bug.
				if _, err := v.Verify(context.Background(), raw); err != nil && !errors.Is(err, token.ErrUnknownKey) {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := ks.KeyIDs(); !slices.Equal(got, []string{"k7"}) {
		t.Fatalf("KeyIDs = %q, want only the last key", got)
	}
}
