package token

import (
	"fmt"
	"slices"
	"sync"
)

// KeySet holds the key that signs new tokens and the keys that still verify
// older ones, by key id. It is safe for concurrent use: a key can be rotated
// while requests are being verified.
//
// A rotation usually goes: [KeySet.Rotate] to the new key, so new tokens use
// it while tokens signed by the old key keep verifying; then, once the old
// tokens have expired (the issuer's TTL plus the verifier's leeway),
// [KeySet.Retire] the old key. Verifiers that fetch the JWKS from elsewhere
// can be given the new key ahead of time with [KeySet.Add].
type KeySet struct {
	mu      sync.RWMutex
	signing string         // key id of the signing key
	keys    map[string]Key // by key id
	order   []string       // key ids, oldest first, for a stable JWKS
}

// NewKeySet returns a key set that signs with signing and also verifies
// tokens signed by the verifyOnly keys. Key ids must be unique. The error
// wraps [ErrConfig].
func NewKeySet(signing Key, verifyOnly ...Key) (*KeySet, error) {
	ks := &KeySet{keys: make(map[string]Key, 1+len(verifyOnly))}
	if err := ks.setSigning(signing); err != nil {
		return nil, fmt.Errorf("token: NewKeySet: %w", err)
	}
	for _, k := range verifyOnly {
		if err := ks.Add(k); err != nil {
			return nil, fmt.Errorf("token: NewKeySet: %w", err)
		}
	}
	return ks, nil
}

// TryRotate makes next the signing key. The previous signing key stays in
// the set for verification until it is retired. Rotating to a key that is
// already in the set (as a verify-only key added with [KeySet.Add], say)
// promotes it, provided next carries its private part. The error wraps
// [ErrConfig] when next is invalid, cannot sign, or reuses the id of a
// different key.
func (ks *KeySet) TryRotate(next Key) error {
	if err := ks.setSigning(next); err != nil {
		return fmt.Errorf("token: Rotate: %w", err)
	}
	return nil
}

// Rotate is [KeySet.TryRotate] for keys known to be valid, such as those of
// [GenerateKey] and [NewHMACKey]: it panics where TryRotate returns an
// error.
func (ks *KeySet) Rotate(next Key) {
	if err := ks.TryRotate(next); err != nil {
		panic(err.Error())
	}
}

// Add puts k in the set for verification only, for example to publish the
// next key in the JWKS before rotating to it. Adding a key that is already
// in the set does nothing. The error wraps [ErrConfig] when k is invalid or
// reuses the id of a different key.
func (ks *KeySet) Add(k Key) error {
	k, err := checkKey(k, false)
	if err != nil {
		return err
	}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	_, err = ks.insert(k)
	return err
}

// Retire removes the key with id kid, so tokens it signed no longer verify.
// It does nothing for an unknown id, and nothing for the current signing
// key: rotate away from a key before retiring it.
func (ks *KeySet) Retire(kid string) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if kid == ks.signing {
		return
	}
	if _, ok := ks.keys[kid]; !ok {
		return
	}
	delete(ks.keys, kid)
	ks.order = slices.DeleteFunc(ks.order, func(id string) bool { return id == kid })
}

// SigningKeyID returns the id of the key that signs new tokens.
func (ks *KeySet) SigningKeyID() string {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	return ks.signing
}

// KeyIDs returns the ids of all keys in the set, oldest first.
func (ks *KeySet) KeyIDs() []string {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	return slices.Clone(ks.order)
}

// setSigning checks k, adds it if it is new, and makes it the signing key.
func (ks *KeySet) setSigning(k Key) error {
	k, err := checkKey(k, false)
	if err != nil {
		return err
	}
	if !k.canSign() {
		return fmt.Errorf("%w: key %q has no private part and cannot sign", ErrConfig, k.ID)
	}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	stored, err := ks.insert(k)
	if err != nil {
		return err
	}
	if !stored.canSign() {
		// The set knew the key as verify-only; now it has the private part.
		ks.keys[k.ID] = k
	}
	ks.signing = k.ID
	return nil
}

// insert adds k unless a key with its id is already there, and returns the
// key stored under the id. A different key under the same id is an error.
// The caller holds the write lock.
func (ks *KeySet) insert(k Key) (Key, error) {
	if old, ok := ks.keys[k.ID]; ok {
		if !sameMaterial(old, k) {
			return Key{}, fmt.Errorf("%w: key id %q is already used by a different key", ErrConfig, k.ID)
		}
		return old, nil
	}
	ks.keys[k.ID] = k
	ks.order = append(ks.order, k.ID)
	return k, nil
}

// lookup returns the key with id kid.
func (ks *KeySet) lookup(kid string) (Key, bool) {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	k, ok := ks.keys[kid]
	return k, ok
}

// signingKey returns the key that signs new tokens.
func (ks *KeySet) signingKey() Key {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	return ks.keys[ks.signing]
}
