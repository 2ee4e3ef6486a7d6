// Package password hashes passwords with argon2id and verifies both argon2id
// and bcrypt hashes, on golang.org/x/crypto.
//
// # Hashing
//
// [Hasher.Hash] derives an argon2id key with a random salt and encodes it as
// a PHC string, the format most libraries read:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>
//
// The default parameters ([DefaultParams]) follow OWASP's recommendation for
// argon2id. Passwords longer than [MaxPasswordLength] bytes are refused
// before any work is done.
//
// # Verifying and migrating
//
// [Hasher.Verify] accepts argon2id PHC strings and bcrypt hashes ($2a$, $2b$,
// $2y$), and compares in constant time. When the password matches but the
// hash is bcrypt, or argon2id with other parameters than the Hasher's, Verify
// reports needsRehash: store a new [Hasher.Hash] of the password while you
// have it, and old hashes migrate as users log in.
//
// # Unknown users
//
// A login that stops early for an unknown user answers faster than one that
// checks a wrong password, and the difference tells an attacker which names
// exist. Call [Hasher.VerifyDummy] for unknown users: it does the same
// argon2id derivation as Verify, against a dummy hash made once.
//
// # Bounded work
//
// Each argon2id derivation takes [Params.Memory] KiB. A Hasher lets at most a
// fixed number of operations run at once ([WithConcurrency]); the others
// wait, and give up when their context ends.
package password
