package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// bcryptMaxPassword is the longest password bcrypt reads; it ignores the
// bytes after it.
const bcryptMaxPassword = 72

// Hasher hashes passwords with argon2id and verifies argon2id and bcrypt
// hashes. It bounds how many derivations run at once, since each one takes
// [Params.Memory] KiB and a burst of logins must not exhaust memory. A
// Hasher is safe for concurrent use; build it with [New].
type Hasher struct {
	params Params
	sem    chan struct{}

	dummyOnce sync.Once
	dummy     string

	// onDerive, when set, is called before every argon2 key derivation with
	// its parameters. Only tests set it, to count derivations.
	onDerive func(Params)

	concurrency int
}

// Option configures a [Hasher].
type Option func(*Hasher)

// WithParams sets the argon2id parameters of new hashes. [New] panics when p
// is outside the bounds of [Params.Validate]. Stored hashes with other
// parameters still verify, and Verify reports that they need rehashing.
func WithParams(p Params) Option {
	return func(h *Hasher) { h.params = p }
}

// WithConcurrency lets at most n hash or verify operations run at once;
// the others wait for a slot, or for their context to end. The default, and
// the value used when n < 1, is runtime.GOMAXPROCS(0).
func WithConcurrency(n int) Option {
	return func(h *Hasher) { h.concurrency = n }
}

// New returns a Hasher with [DefaultParams] unless [WithParams] says
// otherwise. It panics when the parameters are invalid, so that a
// misconfiguration stops the program at startup; check them first with
// [Params.Validate] to handle the error instead.
func New(opts ...Option) *Hasher {
	h := &Hasher{params: DefaultParams()}
	for _, opt := range opts {
		opt(h)
	}
	if err := h.params.Validate(); err != nil {
		panic(fmt.Sprintf("password.New: %v (start from password.DefaultParams())", err))
	}
	if h.concurrency < 1 {
		h.concurrency = runtime.GOMAXPROCS(0)
	}
	h.sem = make(chan struct{}, h.concurrency)
	return h
}

// Params returns the argon2id parameters the Hasher hashes with.
func (h *Hasher) Params() Params { return h.params }

// Hash derives an argon2id key from password with a fresh random salt and
// returns it as a PHC string:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>
//
// It returns an error wrapping [ErrPasswordTooLong] for passwords longer
// than [MaxPasswordLength] bytes, and ctx.Err() when ctx ends while it waits
// for a slot.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if len(password) > MaxPasswordLength {
		return "", fmt.Errorf("%w: more than %d bytes", ErrPasswordTooLong, MaxPasswordLength)
	}
	salt := make([]byte, h.params.SaltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: reading a salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	key := h.derive(h.params, []byte(password), salt)
	return encodeArgon2id(h.params, salt, key), nil
}

// Verify reports whether password matches encoded, an argon2id PHC string or
// a bcrypt hash ($2a$, $2b$ or $2y$). The comparison takes constant time.
//
// needsRehash is reported only when ok is true: it is true for bcrypt hashes
// and for argon2id hashes whose parameters differ from the Hasher's, and
// tells the caller to store a fresh [Hasher.Hash] of the password it just
// checked.
//
// A password longer than 72 bytes never matches a bcrypt hash, because
// bcrypt would ignore the rest; the hash is still computed, so the answer
// takes as long as any other.
//
// Errors wrap [ErrMalformedHash] when encoded cannot be parsed,
// [ErrUnsupportedHash] when it names another algorithm,
// [ErrPasswordTooLong] when password is longer than [MaxPasswordLength], and
// are ctx.Err() when ctx ends while Verify waits for a slot. A wrong
// password is not an error.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (ok bool, needsRehash bool, err error) {
	if len(password) > MaxPasswordLength {
		return false, false, fmt.Errorf("%w: more than %d bytes", ErrPasswordTooLong, MaxPasswordLength)
	}
	k, err := identify(encoded)
	if err != nil {
		return false, false, err
	}
	switch k {
	case kindArgon2id:
		parsed, err := parseArgon2id(encoded)
		if err != nil {
			return false, false, err
		}
		if err := h.acquire(ctx); err != nil {
			return false, false, err
		}
		defer h.release()
		ok = h.compareArgon2id(parsed, password)
		return ok, ok && parsed.params != h.params, nil
	default: // kindBcrypt
		if _, err := bcrypt.Cost([]byte(encoded)); err != nil {
			return false, false, fmt.Errorf("%w: bcrypt: %w", ErrMalformedHash, err)
		}
		if err := h.acquire(ctx); err != nil {
			return false, false, err
		}
		defer h.release()
		err := bcrypt.CompareHashAndPassword([]byte(encoded), []byte(password))
		switch {
		case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
			return false, false, nil
		case err != nil:
			return false, false, fmt.Errorf("%w: bcrypt: %w", ErrMalformedHash, err)
		case len(password) > bcryptMaxPassword:
			return false, false, nil
		}
		return true, true, nil
	}
}

// VerifyDummy does the work of a [Hasher.Verify] against an argon2id hash of
// the Hasher's parameters, and throws the answer away. Call it when the user
// is unknown, so that an unknown user costs as much as a wrong password and
// the response time does not tell the two apart.
//
// The dummy hash is computed on the first call, which therefore does one
// derivation more. Like Verify, VerifyDummy returns at once for a password
// longer than [MaxPasswordLength], and when ctx ends while it waits for a
// slot.
func (h *Hasher) VerifyDummy(ctx context.Context, password string) {
	if len(password) > MaxPasswordLength {
		return
	}
	if err := h.acquire(ctx); err != nil {
		return
	}
	defer h.release()
	h.dummyOnce.Do(func() {
		salt := make([]byte, h.params.SaltLength)
		secret := make([]byte, 32)
		// rand.Read never fails on supported platforms; should it, the
		// zero salt and secret still make a hash of the right cost.
		_, _ = rand.Read(salt)
		_, _ = rand.Read(secret)
		h.dummy = encodeArgon2id(h.params, salt, h.derive(h.params, secret, salt))
	})
	parsed, err := parseArgon2id(h.dummy)
	if err != nil {
		// The dummy is written by encodeArgon2id from validated parameters.
		panic("password: dummy hash does not parse: " + err.Error())
	}
	h.compareArgon2id(parsed, password)
}

// compareArgon2id derives a key from password with the parameters and salt
// of want and compares it with want's key in constant time.
func (h *Hasher) compareArgon2id(want argonHash, password string) bool {
	got := h.derive(want.params, []byte(password), want.salt)
	return subtle.ConstantTimeCompare(got, want.key) == 1
}

// derive runs one argon2id key derivation.
func (h *Hasher) derive(p Params, password, salt []byte) []byte {
	if h.onDerive != nil {
		h.onDerive(p)
	}
	return argon2.IDKey(password, salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
}

// acquire takes a slot of the concurrency bound, or returns ctx.Err() when
// ctx ends first.
func (h *Hasher) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release gives a slot back.
func (h *Hasher) release() { <-h.sem }
