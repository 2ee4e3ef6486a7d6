package apikeys

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"sync"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

// region: store
// KeyStore stands for a table of API keys. It keeps only the SHA-256 of
// each key, so a leaked table gives away no usable key.
type KeyStore struct {
	mu     sync.RWMutex
	hashes map[string]string // hex SHA-256 of the key -> owner
}

// NewKeyStore returns a store holding the given keys for their owners.
func NewKeyStore(keys map[string]string) *KeyStore {
	s := &KeyStore{hashes: map[string]string{}}
	for key, owner := range keys {
		s.hashes[digest(key)] = owner
	}
	return s
}

func digest(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Check is a Validate function. It compares the key's hash with every
// stored hash in constant time and without stopping at a match, so timing
// says neither which key matched nor how much of a key was right. A real
// table would be searched by the hash through an index instead.
func (s *KeyStore) Check(_ context.Context, key string) (bool, error) {
	want := []byte(digest(key))
	s.mu.RLock()
	defer s.mu.RUnlock()
	found := 0
	for h := range s.hashes {
		found |= subtle.ConstantTimeCompare([]byte(h), want)
	}
	return found == 1, nil
}

// endregion

// region: stored
// StoredApp checks the header key against a KeyStore that fx provides.
// framework.SecurityFrom builds the scheme once fx has made the store, so
// the scheme itself refuses a wrong key and no handler has to check it.
func StoredApp(store *KeyStore, opts ...framework.Option) fx.Option {
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("Stored API keys")}, opts...)...),
		fx.Supply(store),
		framework.SecurityFrom(func(s *KeyStore) security.APIKeyHeader {
			return security.APIKeyHeader{Name: "X-API-Key", Validate: s.Check}
		}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/api-key/header", viaHeader)
		}),
	)
}

// endregion
