package password_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/portcullis/portcullis/security/password"
)

// FuzzParseArgon2id checks that the PHC parser never panics, that it only
// accepts parameters within bounds, and that whatever it accepts is the one
// canonical spelling: encoding the parsed values gives back the input.
func FuzzParseArgon2id(f *testing.F) {
	for _, seed := range []string{
		"$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$qLml5cbqFAO6YxVHhrSBHP0UWdxrIxkNcM8aMX3OgXs",
		"$argon2id$v=16$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=064,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=64,t=1,p=256$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
		"$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",
		"$argon2id$$$$$",
		// Found by the fuzzer: base64 decoding skips line breaks.
		"$argon2id$v=19$m=10,t=1,p=1$00000000000$000000000000000000000\nA",
		"$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAA\r\nAA$AAAA",
		"$argon2id$",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, encoded string) {
		p, salt, key, err := password.ParseArgon2id(encoded)
		if err != nil {
			if !errors.Is(err, password.ErrMalformedHash) && !errors.Is(err, password.ErrUnsupportedHash) {
				t.Fatalf("parse error %v wraps neither ErrMalformedHash nor ErrUnsupportedHash", err)
			}
			return
		}
		if verr := p.Validate(); verr != nil {
			t.Fatalf("accepted %q with invalid params: %v", encoded, verr)
		}
		if int(p.SaltLength) != len(salt) || int(p.KeyLength) != len(key) {
			t.Fatalf("params %+v disagree with salt %d and key %d bytes", p, len(salt), len(key))
		}
		if again := password.EncodeArgon2id(p, salt, key); again != encoded {
			t.Fatalf("accepted %q but it encodes back as %q", encoded, again)
		}
		p2, salt2, key2, err := password.ParseArgon2id(password.EncodeArgon2id(p, salt, key))
		if err != nil || p2 != p || !bytes.Equal(salt2, salt) || !bytes.Equal(key2, key) {
			t.Fatalf("round trip changed the hash: %+v %v", p2, err)
		}
	})
}
