package password

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// This file reads and writes argon2id hashes in the PHC string format:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>
//
// with salt and key in standard base64 without padding. x/crypto/argon2
// derives keys but has no encoding, so the format is written here.

// b64 is the PHC base64 flavour. Strict refuses non-zero trailing bits, so
// each hash has exactly one spelling.
var b64 = base64.RawStdEncoding.Strict()

// kind is the algorithm an encoded hash names.
type kind int

const (
	kindArgon2id kind = iota + 1
	kindBcrypt
)

// identify tells which algorithm encoded uses, from its prefix alone.
func identify(encoded string) (kind, error) {
	switch {
	case strings.HasPrefix(encoded, "$argon2id$"):
		return kindArgon2id, nil
	case strings.HasPrefix(encoded, "$2a$"), strings.HasPrefix(encoded, "$2b$"), strings.HasPrefix(encoded, "$2y$"):
		return kindBcrypt, nil
	}
	// Something shaped like "$id$..." names another algorithm; anything
	// else is not a hash this package knows how to read.
	if rest, ok := strings.CutPrefix(encoded, "$"); ok {
		if id, _, ok := strings.Cut(rest, "$"); ok && isPHCIdentifier(id) {
			return 0, fmt.Errorf("%w: %q", ErrUnsupportedHash, id)
		}
	}
	return 0, fmt.Errorf("%w: unknown format", ErrMalformedHash)
}

// isPHCIdentifier reports whether id matches the PHC format's function
// symbolic name: 1 to 32 characters of [a-z0-9-].
func isPHCIdentifier(id string) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// argonHash is a parsed argon2id PHC string.
type argonHash struct {
	params Params
	salt   []byte
	key    []byte
}

// encodeArgon2id writes an argon2id PHC string.
func encodeArgon2id(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Iterations, p.Parallelism,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// parseArgon2id reads an argon2id PHC string. Only the canonical form that
// encodeArgon2id writes is accepted: version 19, the parameters m, t and p
// in that order, and both salt and key present. Errors wrap
// ErrMalformedHash, or ErrUnsupportedHash for another argon2 version.
func parseArgon2id(encoded string) (argonHash, error) {
	var h argonHash
	// Go's base64 decoders skip CR and LF, so without this check a hash with
	// line breaks in its salt or key would be accepted as another spelling
	// of a valid one.
	if strings.ContainsAny(encoded, "\r\n") {
		return h, fmt.Errorf("%w: argon2id hash contains a line break", ErrMalformedHash)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return h, fmt.Errorf("%w: argon2id hash must have 5 $-separated fields", ErrMalformedHash)
	}
	version, ok := strings.CutPrefix(parts[2], "v=")
	if !ok {
		return h, fmt.Errorf("%w: argon2id version field missing", ErrMalformedHash)
	}
	if v, err := parseDecimal(version, 32); err != nil {
		return h, fmt.Errorf("%w: argon2id version: %w", ErrMalformedHash, err)
	} else if v != argon2.Version {
		return h, fmt.Errorf("%w: argon2id version %d", ErrUnsupportedHash, v)
	}

	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return h, fmt.Errorf("%w: argon2id parameters must be m, t and p", ErrMalformedHash)
	}
	var values [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		raw, ok := strings.CutPrefix(fields[i], name)
		if !ok {
			return h, fmt.Errorf("%w: argon2id parameter %d must be %s", ErrMalformedHash, i+1, name[:1])
		}
		bits := 32
		if name == "p=" {
			bits = 8
		}
		v, err := parseDecimal(raw, bits)
		if err != nil {
			return h, fmt.Errorf("%w: argon2id parameter %s: %w", ErrMalformedHash, name[:1], err)
		}
		values[i] = v
	}

	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return h, fmt.Errorf("%w: argon2id salt: %w", ErrMalformedHash, err)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return h, fmt.Errorf("%w: argon2id key: %w", ErrMalformedHash, err)
	}
	h.params = Params{
		Memory:      uint32(values[0]),
		Iterations:  uint32(values[1]),
		Parallelism: uint8(values[2]),
		SaltLength:  uint32(len(salt)),
		KeyLength:   uint32(len(key)),
	}
	if err := h.params.Validate(); err != nil {
		return h, fmt.Errorf("%w: %w", ErrMalformedHash, err)
	}
	h.salt, h.key = salt, key
	return h, nil
}

// parseDecimal reads a canonical unsigned decimal: digits only, no sign and
// no leading zero, fitting in bits.
func parseDecimal(s string, bits int) (uint64, error) {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return 0, fmt.Errorf("%q is not a canonical decimal", s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%q is not a canonical decimal", s)
		}
	}
	v, err := strconv.ParseUint(s, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, err)
	}
	return v, nil
}
