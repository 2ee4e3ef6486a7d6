package password

import "fmt"

// Bounds on argon2id parameters. They apply both to the parameters a
// [Hasher] is built with and to those read from stored hashes, so a corrupt
// or hostile hash cannot make a verification allocate without limit.
const (
	// MaxPasswordLength is the longest password, in bytes, that Hash and
	// Verify accept. It bounds the work one request can cause.
	MaxPasswordLength = 4096

	minMemory     = 8       // KiB; argon2 needs at least 8 KiB per lane
	maxMemory     = 1 << 20 // KiB, i.e. 1 GiB
	maxIterations = 64      // passes over memory
	minSaltLength = 8       // bytes, the PHC string format's minimum
	maxSaltLength = 64      // bytes
	minKeyLength  = 16      // bytes
	maxKeyLength  = 128     // bytes
)

// Params are argon2id parameters. [DefaultParams] follow OWASP's
// recommendation: m=19456 KiB, t=2, p=1, a 16-byte salt and a 32-byte key.
type Params struct {
	// Memory is the memory cost in KiB.
	Memory uint32
	// Iterations is the number of passes over the memory.
	Iterations uint32
	// Parallelism is the number of lanes.
	Parallelism uint8
	// SaltLength is the length of the random salt in bytes.
	SaltLength uint32
	// KeyLength is the length of the derived key in bytes.
	KeyLength uint32
}

// DefaultParams returns OWASP's recommended argon2id parameters.
func DefaultParams() Params {
	return Params{Memory: 19456, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}
}

// Validate reports whether p is within the bounds this package accepts. The
// error wraps [ErrInvalidParams] and names the offending field.
func (p Params) Validate() error {
	switch {
	case p.Parallelism < 1:
		return fmt.Errorf("%w: parallelism must be at least 1", ErrInvalidParams)
	case p.Iterations < 1 || p.Iterations > maxIterations:
		return fmt.Errorf("%w: iterations must be between 1 and %d, not %d", ErrInvalidParams, maxIterations, p.Iterations)
	case p.Memory < minMemory*uint32(p.Parallelism) || p.Memory > maxMemory:
		return fmt.Errorf("%w: memory must be between %d KiB per lane and %d KiB, not %d",
			ErrInvalidParams, minMemory, maxMemory, p.Memory)
	case p.SaltLength < minSaltLength || p.SaltLength > maxSaltLength:
		return fmt.Errorf("%w: salt length must be between %d and %d bytes, not %d",
			ErrInvalidParams, minSaltLength, maxSaltLength, p.SaltLength)
	case p.KeyLength < minKeyLength || p.KeyLength > maxKeyLength:
		return fmt.Errorf("%w: key length must be between %d and %d bytes, not %d",
			ErrInvalidParams, minKeyLength, maxKeyLength, p.KeyLength)
	}
	return nil
}
