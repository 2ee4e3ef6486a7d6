package password

// SetDeriveHook makes h call f before every argon2 key derivation, with the
// derivation's parameters. Tests use it to count derivations.
func SetDeriveHook(h *Hasher, f func(Params)) { h.onDerive = f }

// ParseArgon2id exposes the PHC parser to the fuzz target.
func ParseArgon2id(encoded string) (Params, []byte, []byte, error) {
	h, err := parseArgon2id(encoded)
	return h.params, h.salt, h.key, err
}

// EncodeArgon2id exposes the PHC encoder to the fuzz target.
func EncodeArgon2id(p Params, salt, key []byte) string { return encodeArgon2id(p, salt, key) }
