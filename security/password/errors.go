package password

import "errors"

// Sentinel errors. Errors returned by this package wrap one of them, or a
// context error when the context ends first.
var (
	// ErrMalformedHash means an encoded hash could not be parsed: a broken
	// PHC string or bcrypt hash, or parameters outside the accepted bounds.
	ErrMalformedHash = errors.New("password: malformed hash")
	// ErrUnsupportedHash means the encoded hash names an algorithm other than
	// argon2id or bcrypt, such as argon2i or scrypt.
	ErrUnsupportedHash = errors.New("password: unsupported hash algorithm")
	// ErrPasswordTooLong means the password is longer than
	// [MaxPasswordLength] bytes. It is refused before any work is done.
	ErrPasswordTooLong = errors.New("password: password too long")
	// ErrInvalidParams means argon2id parameters are outside the bounds
	// [Params.Validate] accepts.
	ErrInvalidParams = errors.New("password: invalid argon2id parameters")
)
