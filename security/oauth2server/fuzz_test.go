package oauth2server

import "testing"

// FuzzTokenRequest sends arbitrary bodies, content types and Authorization
// headers to the token endpoint. It must never answer with a 5xx, and every
// refusal must be a well-formed RFC 6749 error.
func FuzzTokenRequest(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s.body, s.contentType, s.auth)
	}
	h := newHarness(f, nil)
	f.Fuzz(func(t *testing.T, body, contentType, auth string) {
		checkFuzzAnswer(t, h, body, contentType, auth)
	})
}
