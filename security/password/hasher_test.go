package password_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"golang.org/x/crypto/bcrypt"

	"github.com/portcullis/portcullis/security/password"
)

// fastParams keep tests quick; the code paths are the same as with the
// defaults.
var fastParams = password.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// derivations records the parameters of every argon2 derivation h runs.
type derivations struct {
	mu   sync.Mutex
	seen []password.Params
}

func (d *derivations) record(p password.Params) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seen = append(d.seen, p)
}

// take returns the derivations recorded so far and forgets them.
func (d *derivations) take() []password.Params {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.seen
	d.seen = nil
	return out
}

func countedHasher(t *testing.T, opts ...password.Option) (*password.Hasher, *derivations) {
	t.Helper()
	h := password.New(append([]password.Option{password.WithParams(fastParams)}, opts...)...)
	d := &derivations{}
	password.SetDeriveHook(h, d.record)
	return h, d
}

func TestHashVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
		wrong    string
	}{
		{"ascii", "secret", "Secret"},
		{"empty", "", " "},
		{"unicode", "pässwörd 🔑", "passwörd 🔑"},
		{"longest accepted", strings.Repeat("x", password.MaxPasswordLength), strings.Repeat("x", password.MaxPasswordLength-1) + "y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := password.New(password.WithParams(fastParams))
			ctx := t.Context()
			encoded, err := h.Hash(ctx, tt.password)
			if err != nil {
				t.Fatalf("Hash: %v", err)
			}
			if want := "$argon2id$v=19$m=64,t=1,p=1$"; !strings.HasPrefix(encoded, want) {
				t.Fatalf("Hash = %q, want prefix %q", encoded, want)
			}
			ok, rehash, err := h.Verify(ctx, encoded, tt.password)
			if err != nil || !ok || rehash {
				t.Fatalf("Verify(right password) = %v, %v, %v; want true, false, nil", ok, rehash, err)
			}
			ok, rehash, err = h.Verify(ctx, encoded, tt.wrong)
			if err != nil || ok || rehash {
				t.Fatalf("Verify(wrong password) = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
			again, err := h.Hash(ctx, tt.password)
			if err != nil {
				t.Fatalf("second Hash: %v", err)
			}
			if again == encoded {
				t.Fatal("two hashes of one password are equal: the salt is not random")
			}
		})
	}
}

func TestHashDefaultParams(t *testing.T) {
	t.Parallel()
	h := password.New()
	if got, want := h.Params(), (password.Params{Memory: 19456, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}); got != want {
		t.Fatalf("Params() = %+v, want %+v", got, want)
	}
	encoded, err := h.Hash(t.Context(), "secret")
	if err != nil {
		t.Fatal(err)
	}
	p, salt, key, err := password.ParseArgon2id(encoded)
	if err != nil {
		t.Fatalf("the hash does not parse back: %v", err)
	}
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=19456,t=2,p=1$") || p != password.DefaultParams() ||
		len(salt) != 16 || len(key) != 32 {
		t.Fatalf("Hash = %q (params %+v, salt %d bytes, key %d bytes); want OWASP defaults", encoded, p, len(salt), len(key))
	}
	if fields := strings.Split(encoded, "$"); strings.Contains(fields[4]+fields[5], "=") {
		t.Fatalf("Hash = %q has base64 padding", encoded)
	}
}

func TestVerifyBcrypt(t *testing.T) {
	t.Parallel()
	raw, err := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("b", 72)
	rawLong, err := bcrypt.GenerateFromPassword([]byte(long), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	withPrefix := func(b []byte, prefix string) string { return prefix + string(b[4:]) }
	tests := []struct {
		name       string
		encoded    string
		password   string
		wantOK     bool
		wantRehash bool
	}{
		{"2a right", withPrefix(raw, "$2a$"), "secret", true, true},
		{"2b right", withPrefix(raw, "$2b$"), "secret", true, true},
		{"2y right", withPrefix(raw, "$2y$"), "secret", true, true},
		{"2a wrong", withPrefix(raw, "$2a$"), "Secret", false, false},
		{"2b empty", withPrefix(raw, "$2b$"), "", false, false},
		{"72 bytes right", string(rawLong), long, true, true},
		{"73 bytes never match", string(rawLong), long + "!", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, d := countedHasher(t)
			ok, rehash, err := h.Verify(t.Context(), tt.encoded, tt.password)
			if err != nil || ok != tt.wantOK || rehash != tt.wantRehash {
				t.Fatalf("Verify = %v, %v, %v; want %v, %v, nil", ok, rehash, err, tt.wantOK, tt.wantRehash)
			}
			if n := len(d.take()); n != 0 {
				t.Fatalf("a bcrypt verification ran %d argon2 derivations, want 0", n)
			}
		})
	}
}

func TestVerifyNeedsRehash(t *testing.T) {
	t.Parallel()
	changed := func(f func(*password.Params)) password.Params {
		p := fastParams
		f(&p)
		return p
	}
	tests := []struct {
		name   string
		stored password.Params
		want   bool
	}{
		{"same params", fastParams, false},
		{"memory", changed(func(p *password.Params) { p.Memory = 128 }), true},
		{"iterations", changed(func(p *password.Params) { p.Iterations = 2 }), true},
		{"parallelism", changed(func(p *password.Params) { p.Parallelism = 2 }), true},
		{"salt length", changed(func(p *password.Params) { p.SaltLength = 32 }), true},
		{"key length", changed(func(p *password.Params) { p.KeyLength = 64 }), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			old := password.New(password.WithParams(tt.stored))
			encoded, err := old.Hash(ctx, "secret")
			if err != nil {
				t.Fatal(err)
			}
			h := password.New(password.WithParams(fastParams))
			ok, rehash, err := h.Verify(ctx, encoded, "secret")
			if err != nil || !ok || rehash != tt.want {
				t.Fatalf("Verify(right password) = %v, %v, %v; want true, %v, nil", ok, rehash, err, tt.want)
			}
			ok, rehash, err = h.Verify(ctx, encoded, "wrong")
			if err != nil || ok || rehash {
				t.Fatalf("Verify(wrong password) = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	t.Parallel()
	// salt16 and key32 are valid base64 of 16 and 32 zero bytes.
	const salt16 = "AAAAAAAAAAAAAAAAAAAAAA"
	const key32 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	const good = "$argon2id$v=19$m=64,t=1,p=1$" + salt16 + "$" + key32
	tests := []struct {
		name    string
		encoded string
		want    error
	}{
		{"empty", "", password.ErrMalformedHash},
		{"plain text", "secret", password.ErrMalformedHash},
		{"only the id", "$argon2id$", password.ErrMalformedHash},
		{"no key", "$argon2id$v=19$m=64,t=1,p=1$" + salt16, password.ErrMalformedHash},
		{"extra field", good + "$AAAA", password.ErrMalformedHash},
		{"no version", "$argon2id$m=64,t=1,p=1$" + salt16 + "$" + key32 + "$x", password.ErrMalformedHash},
		{"version not a number", "$argon2id$v=x$m=64,t=1,p=1$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"old version", "$argon2id$v=16$m=64,t=1,p=1$" + salt16 + "$" + key32, password.ErrUnsupportedHash},
		{"params out of order", "$argon2id$v=19$t=1,m=64,p=1$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"missing param", "$argon2id$v=19$m=64,t=1$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"extra param", "$argon2id$v=19$m=64,t=1,p=1,k=2$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"signed number", "$argon2id$v=19$m=+64,t=1,p=1$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"negative number", "$argon2id$v=19$m=64,t=-1,p=1$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"leading zero", "$argon2id$v=19$m=064,t=1,p=1$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"parallelism overflows", "$argon2id$v=19$m=64,t=1,p=256$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"memory overflows", "$argon2id$v=19$m=4294967296,t=1,p=1$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"zero iterations", "$argon2id$v=19$m=64,t=0,p=1$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"zero parallelism", "$argon2id$v=19$m=64,t=1,p=0$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"memory below 8 KiB a lane", "$argon2id$v=19$m=15,t=1,p=2$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"memory above bound", "$argon2id$v=19$m=2097152,t=1,p=1$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"too many iterations", "$argon2id$v=19$m=64,t=1000,p=1$" + salt16 + "$" + key32, password.ErrMalformedHash},
		{"padded salt", "$argon2id$v=19$m=64,t=1,p=1$" + salt16 + "==$" + key32, password.ErrMalformedHash},
		{"bad base64", "$argon2id$v=19$m=64,t=1,p=1$" + salt16[:20] + "!!$" + key32, password.ErrMalformedHash},
		{"non-canonical base64", "$argon2id$v=19$m=64,t=1,p=1$" + salt16[:21] + "B$" + key32, password.ErrMalformedHash},
		{"short salt", "$argon2id$v=19$m=64,t=1,p=1$AAAAAA$" + key32, password.ErrMalformedHash},
		{"short key", "$argon2id$v=19$m=64,t=1,p=1$" + salt16 + "$AAAAAA", password.ErrMalformedHash},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt16 + "$" + key32, password.ErrUnsupportedHash},
		{"argon2d", "$argon2d$v=19$m=64,t=1,p=1$" + salt16 + "$" + key32, password.ErrUnsupportedHash},
		{"scrypt", "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E", password.ErrUnsupportedHash},
		{"bcrypt 2x", "$2x$04$abcdefghijklmnopqrstuu5V9TU1Z1Y1X1W1V1U1T1S1R1Q1P1O1N1", password.ErrUnsupportedHash},
		{"bcrypt truncated", "$2a$04$abc", password.ErrMalformedHash},
		{"bcrypt bad cost", "$2b$99$abcdefghijklmnopqrstuu5V9TU1Z1Y1X1W1V1U1T1S1R1Q1P1O1N1", password.ErrMalformedHash},
	}
	sentinels := []error{password.ErrMalformedHash, password.ErrUnsupportedHash}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, d := countedHasher(t)
			ok, rehash, err := h.Verify(t.Context(), tt.encoded, "secret")
			if ok || rehash {
				t.Fatalf("Verify = %v, %v; want false, false", ok, rehash)
			}
			for _, s := range sentinels {
				if got, want := errors.Is(err, s), s == tt.want; got != want {
					t.Fatalf("errors.Is(%v, %v) = %v, want %v", err, s, got, want)
				}
			}
			if n := len(d.take()); n != 0 {
				t.Fatalf("a malformed hash cost %d derivations, want 0", n)
			}
		})
	}
	t.Run("the well-formed base verifies", func(t *testing.T) {
		t.Parallel()
		h := password.New(password.WithParams(fastParams))
		if _, _, err := h.Verify(t.Context(), good, "secret"); err != nil {
			t.Fatalf("Verify(%q) = %v; the malformed cases above must differ from a valid hash", good, err)
		}
	})
}

func TestPasswordTooLong(t *testing.T) {
	t.Parallel()
	h, d := countedHasher(t)
	ctx := t.Context()
	long := strings.Repeat("x", password.MaxPasswordLength+1)
	encoded, err := h.Hash(ctx, "secret")
	if err != nil {
		t.Fatal(err)
	}
	d.take()

	if _, err := h.Hash(ctx, long); !errors.Is(err, password.ErrPasswordTooLong) {
		t.Errorf("Hash(too long) error = %v, want ErrPasswordTooLong", err)
	}
	if ok, _, err := h.Verify(ctx, encoded, long); ok || !errors.Is(err, password.ErrPasswordTooLong) {
		t.Errorf("Verify(too long) = %v, %v; want false, ErrPasswordTooLong", ok, err)
	}
	h.VerifyDummy(ctx, long)
	if n := len(d.take()); n != 0 {
		t.Fatalf("too-long passwords cost %d derivations, want 0 for Hash, Verify and VerifyDummy alike", n)
	}
}

// TestVerifyDummyMatchesWrongPassword checks the timing property by
// counting work rather than measuring time: a wrong password for a known
// user and any password for an unknown user each run exactly one argon2
// derivation with the Hasher's parameters.
func TestVerifyDummyMatchesWrongPassword(t *testing.T) {
	t.Parallel()
	for _, params := range []password.Params{fastParams, {Memory: 128, Iterations: 3, Parallelism: 2, SaltLength: 24, KeyLength: 48}} {
		t.Run(paramsName(params), func(t *testing.T) {
			t.Parallel()
			h := password.New(password.WithParams(params))
			d := &derivations{}
			password.SetDeriveHook(h, d.record)
			ctx := t.Context()
			encoded, err := h.Hash(ctx, "secret")
			if err != nil {
				t.Fatal(err)
			}
			d.take()

			one := []password.Params{params}
			if ok, _, err := h.Verify(ctx, encoded, "wrong"); ok || err != nil {
				t.Fatalf("Verify(wrong) = %v, %v", ok, err)
			}
			if got := d.take(); !equalParams(got, one) {
				t.Fatalf("wrong-password Verify derived %v, want %v", got, one)
			}

			// The first call also makes the dummy hash.
			h.VerifyDummy(ctx, "whatever")
			if got := d.take(); !equalParams(got, []password.Params{params, params}) {
				t.Fatalf("first VerifyDummy derived %v, want the dummy hash and one verification", got)
			}
			for _, pw := range []string{"whatever", "secret", ""} {
				h.VerifyDummy(ctx, pw)
				if got := d.take(); !equalParams(got, one) {
					t.Fatalf("VerifyDummy(%q) derived %v, want %v like a wrong-password Verify", pw, got, one)
				}
			}
		})
	}
}

func paramsName(p password.Params) string {
	return fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Iterations, p.Parallelism)
}

func equalParams(a, b []password.Params) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestConcurrencyBound holds derivations inside the hook and releases them
// one at a time. synctest.Wait returns once every caller is blocked, either
// in the hook or waiting for a slot, so the number inside the hook at that
// moment is decided by the Hasher's bound alone, not by scheduling.
func TestConcurrencyBound(t *testing.T) {
	t.Parallel()
	seed := password.New(password.WithParams(fastParams))
	encoded, err := seed.Hash(t.Context(), "secret")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 3, 12} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				const callers = 12 // each does exactly one derivation
				h := password.New(password.WithParams(fastParams), password.WithConcurrency(n))
				var active atomic.Int32
				release := make(chan struct{})
				defer close(release) // lets blocked callers finish if the test fails
				password.SetDeriveHook(h, func(password.Params) {
					active.Add(1)
					<-release
					active.Add(-1)
				})
				errs := make(chan error, callers)
				for i := range callers {
					go func() {
						if i%2 == 0 {
							_, err := h.Hash(context.Background(), "secret")
							errs <- err
							return
						}
						ok, _, err := h.Verify(context.Background(), encoded, "secret")
						if err == nil && !ok {
							err = errors.New("Verify(right password) = false")
						}
						errs <- err
					}()
				}
				for left := callers; left > 0; left-- {
					synctest.Wait()
					if got, want := active.Load(), int32(min(n, left)); got != want {
						t.Fatalf("with %d callers left, %d derivations run at once, want %d", left, got, want)
					}
					release <- struct{}{}
				}
				for range callers {
					if err := <-errs; err != nil {
						t.Fatal(err)
					}
				}
			})
		})
	}
}

// TestContextEnds checks that a caller waiting for a slot gives up when its
// context ends, and that a context that has already ended costs no work.
func TestContextEnds(t *testing.T) {
	t.Parallel()
	t.Run("already canceled", func(t *testing.T) {
		t.Parallel()
		h, d := countedHasher(t)
		encoded, err := h.Hash(t.Context(), "secret")
		if err != nil {
			t.Fatal(err)
		}
		d.take()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := h.Hash(ctx, "secret"); !errors.Is(err, context.Canceled) {
			t.Errorf("Hash error = %v, want context.Canceled", err)
		}
		if ok, _, err := h.Verify(ctx, encoded, "secret"); ok || !errors.Is(err, context.Canceled) {
			t.Errorf("Verify = %v, %v; want false, context.Canceled", ok, err)
		}
		h.VerifyDummy(ctx, "secret")
		if n := len(d.take()); n != 0 {
			t.Fatalf("canceled calls ran %d derivations, want 0", n)
		}
	})
	t.Run("canceled while waiting", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			h := password.New(password.WithParams(fastParams), password.WithConcurrency(1))
			var entries atomic.Int32
			release := make(chan struct{})
			defer close(release) // lets blocked callers finish if the test fails
			password.SetDeriveHook(h, func(password.Params) {
				entries.Add(1)
				<-release
			})
			holder := make(chan error, 1)
			go func() {
				_, err := h.Hash(context.Background(), "holder")
				holder <- err
			}()
			synctest.Wait() // the only slot is taken

			ctx, cancel := context.WithCancel(context.Background())
			waiter := make(chan error, 1)
			go func() {
				_, err := h.Hash(ctx, "waiter")
				waiter <- err
			}()
			synctest.Wait()
			select {
			case err := <-waiter:
				t.Fatalf("the waiting Hash returned %v before its context ended", err)
			default:
			}
			if got := entries.Load(); got != 1 {
				t.Fatalf("%d derivations started, want only the holder's", got)
			}
			cancel()
			if err := <-waiter; !errors.Is(err, context.Canceled) {
				t.Errorf("waiting Hash error = %v, want context.Canceled", err)
			}
			release <- struct{}{}
			if err := <-holder; err != nil {
				t.Fatalf("holding Hash: %v", err)
			}
			if got := entries.Load(); got != 1 {
				t.Fatalf("%d derivations ran, want 1: the canceled caller must not derive", got)
			}
		})
	})
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		params  password.Params
		wantErr bool
	}{
		{"defaults", password.DefaultParams(), false},
		{"small but valid", fastParams, false},
		{"zero", password.Params{}, true},
		{"no iterations", password.Params{Memory: 64, Parallelism: 1, SaltLength: 16, KeyLength: 32}, true},
		{"no lanes", password.Params{Memory: 64, Iterations: 1, SaltLength: 16, KeyLength: 32}, true},
		{"too little memory for the lanes", password.Params{Memory: 31, Iterations: 1, Parallelism: 4, SaltLength: 16, KeyLength: 32}, true},
		{"too much memory", password.Params{Memory: 1<<20 + 1, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}, true},
		{"short salt", password.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 4, KeyLength: 32}, true},
		{"short key", password.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 8}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.params.Validate()
			if (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, password.ErrInvalidParams)) {
				t.Fatalf("Validate() = %v, want error: %v (wrapping ErrInvalidParams)", err, tt.wantErr)
			}
			panicked := func() (p any) {
				defer func() { p = recover() }()
				password.New(password.WithParams(tt.params))
				return nil
			}()
			if (panicked != nil) != tt.wantErr {
				t.Fatalf("New panicked with %v, want panic: %v", panicked, tt.wantErr)
			}
			if tt.wantErr && !strings.HasPrefix(panicked.(string), "password.New: password: invalid argon2id parameters") {
				t.Fatalf("panic message %q does not name the problem", panicked)
			}
		})
	}
}
