package security

import (
	"context"
	"crypto/md5" //nolint:gosec // RFC 7616 test vectors
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// The RFC 7616 section 3.9.1 example.
const (
	rfcUser     = "Mufasa"
	rfcPassword = "Circle of Life"
	rfcRealm    = "http-auth@example.org"
	rfcURI      = "/dir/index.html"
	rfcNonce    = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
	rfcCnonce   = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
	rfcOpaque   = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
)

func TestDigestRFC7616Example(t *testing.T) {
	tests := []struct {
		name      string
		algorithm string
		ha1       string // computed with an independent tool
		response  string // from RFC 7616 section 3.9.1
	}{
		{
			name:      "MD5",
			algorithm: DigestMD5,
			ha1:       "3d78807defe7de2157e2b0b6573a855f",
			response:  "8ca523f5e9506fed4657c9700eebdbec",
		},
		{
			name:      "SHA-256",
			algorithm: DigestSHA256,
			ha1:       "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232",
			response:  "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ha1 := DigestHA1(tt.algorithm, rfcUser, rfcRealm, rfcPassword)
			if ha1 != tt.ha1 {
				t.Fatalf("DigestHA1 = %s, want %s", ha1, tt.ha1)
			}
			got := digestResponse(tt.algorithm, ha1, rfcNonce, "00000001", rfcCnonce, "auth", http.MethodGet, rfcURI)
			if got != tt.response {
				t.Fatalf("response = %s, want %s", got, tt.response)
			}
		})
	}
}

func TestDigestHA1UnknownAlgorithm(t *testing.T) {
	for _, alg := range []string{"", "SHA-512-256", "MD5-sess", "sha256"} {
		t.Run("alg="+alg, func(t *testing.T) {
			if got := DigestHA1(alg, "u", "r", "p"); got != "" {
				t.Fatalf("DigestHA1(%q) = %q, want empty", alg, got)
			}
		})
	}
}

// digestClock is a settable clock for nonce expiry.
type digestClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *digestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *digestClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// digestFixture is a scheme with one user, johndoe / secret, and a clock.
type digestFixture struct {
	scheme  HTTPDigest
	clock   *digestClock
	lookups int
	mu      sync.Mutex
}

const (
	digestTestRealm    = "example"
	digestTestUser     = "johndoe"
	digestTestPassword = "secret"
	digestTestTTL      = time.Minute
)

func newDigestFixture(t *testing.T) *digestFixture {
	t.Helper()
	f := &digestFixture{clock: &digestClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}}
	users := map[string]string{digestTestUser: digestTestPassword, "Jürgen": "geheim"}
	f.scheme = HTTPDigest{
		SchemeID: "digest",
		Realm:    digestTestRealm,
		Lookup: func(_ context.Context, username, realm, algorithm string) (string, bool, error) {
			f.mu.Lock()
			f.lookups++
			f.mu.Unlock()
			pw, ok := users[username]
			if !ok {
				return "", false, nil
			}
			return DigestHA1(algorithm, username, realm, pw), true, nil
		},
		Nonces: NewDigestNonces([]byte("0123456789abcdef0123456789abcdef"), digestTestTTL, f.clock.Now),
	}
	return f
}

// digestChallengeParam matches one auth-param of a challenge. The test
// client parses challenges with it, independently of the server's parser.
var digestChallengeParam = regexp.MustCompile(`([a-zA-Z]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))`)

// parseTestChallenge returns the params of a Digest challenge.
func parseTestChallenge(t *testing.T, challenge string) map[string]string {
	t.Helper()
	if !strings.HasPrefix(challenge, "Digest ") {
		t.Fatalf("challenge %q is not a Digest challenge", challenge)
	}
	out := map[string]string{}
	for _, m := range digestChallengeParam.FindAllStringSubmatch(challenge[len("Digest "):], -1) {
		v := m[3]
		if m[2] != "" || m[3] == "" {
			v = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(m[2])
		}
		out[strings.ToLower(m[1])] = v
	}
	return out
}

// testDigestClient is an RFC 7616 client written apart from the server code:
// it hashes with crypto/md5 and crypto/sha256 directly.
type testDigestClient struct {
	username, password string
	cnonce             string
	nc                 int
	ha1                string // when set, used in place of the password's HA1
	hashedURI          string // when set, the uri the response is computed over
}

func testHash(alg, s string) string {
	var h hash.Hash
	switch alg {
	case "SHA-256":
		h = sha256.New()
	case "MD5":
		h = md5.New() //nolint:gosec // RFC 7616 MD5
	default:
		panic("test client: unknown algorithm " + alg)
	}
	io.WriteString(h, s)
	return hex.EncodeToString(h.Sum(nil))
}

// directives returns the directives the client answers challenge with, in
// order, so that tests can change or drop them before formatting.
func (c *testDigestClient) directives(challenge map[string]string, method, uri string) [][2]string {
	c.nc++
	nc := fmt.Sprintf("%08x", c.nc)
	alg := challenge["algorithm"]
	ha1 := testHash(alg, c.username+":"+challenge["realm"]+":"+c.password)
	if c.ha1 != "" {
		ha1 = c.ha1
	}
	hashedURI := uri
	if c.hashedURI != "" {
		hashedURI = c.hashedURI
		uri = c.hashedURI
	}
	ha2 := testHash(alg, method+":"+hashedURI)
	resp := testHash(alg, ha1+":"+challenge["nonce"]+":"+nc+":"+c.cnonce+":auth:"+ha2)
	d := [][2]string{
		{"username", `"` + c.username + `"`},
		{"realm", `"` + challenge["realm"] + `"`},
		{"uri", `"` + uri + `"`},
		{"algorithm", alg},
		{"nonce", `"` + challenge["nonce"] + `"`},
		{"nc", nc},
		{"cnonce", `"` + c.cnonce + `"`},
		{"qop", "auth"},
		{"response", `"` + resp + `"`},
	}
	if op, ok := challenge["opaque"]; ok {
		d = append(d, [2]string{"opaque", `"` + op + `"`})
	}
	return d
}

func formatTestDirectives(d [][2]string) string {
	parts := make([]string, 0, len(d))
	for _, kv := range d {
		parts = append(parts, kv[0]+"="+kv[1])
	}
	return "Digest " + strings.Join(parts, ", ")
}

// setDirective replaces (or, with an empty value, removes) a directive.
func setDirective(d [][2]string, name, value string) [][2]string {
	out := d[:0:0]
	found := false
	for _, kv := range d {
		if kv[0] == name {
			found = true
			if value == "" {
				continue
			}
			kv[1] = value
		}
		out = append(out, kv)
	}
	if !found && value != "" {
		out = append(out, [2]string{name, value})
	}
	return out
}

// challengeFor asks the scheme for its challenges and returns the one for alg.
func challengeFor(t *testing.T, s HTTPDigest, alg string) map[string]string {
	t.Helper()
	s.Optional = false
	_, err := s.Authenticate(httptest.NewRequest(http.MethodGet, "/", nil))
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("Authenticate without credentials: %v, want *Error", err)
	}
	for _, c := range se.Challenges {
		p := parseTestChallenge(t, c)
		if p["algorithm"] == alg {
			return p
		}
	}
	t.Fatalf("no challenge for %s in %q", alg, se.Challenges)
	return nil
}

func digestRequest(method, target, authorization string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	return r
}

func TestHTTPDigestAuthenticate(t *testing.T) {
	tests := []struct {
		name     string
		alg      string
		username string
		password string
		ha1      string // the client's HA1, when not from the password
		method   string // the request's method, GET when empty
		target   string // the request's target
		signed   string // the uri the client signs, when not the target
		edit     func(d [][2]string) [][2]string
		wantErr  error // nil for success
		wantUser string
	}{
		{name: "SHA-256 round trip", alg: DigestSHA256, wantUser: digestTestUser},
		{name: "MD5 round trip", alg: DigestMD5, wantUser: digestTestUser},
		{name: "query string in the uri", alg: DigestSHA256, target: "/items?limit=5&sort=name", wantUser: digestTestUser},
		{
			name: "directive names in other cases", alg: DigestSHA256, wantUser: digestTestUser,
			edit: func(d [][2]string) [][2]string {
				for i := range d {
					d[i][0] = strings.ToUpper(d[i][0][:1]) + d[i][0][1:]
				}
				return d
			},
		},
		{
			name: "algorithm and qop quoted", alg: DigestSHA256, wantUser: digestTestUser,
			edit: func(d [][2]string) [][2]string {
				return setDirective(setDirective(d, "algorithm", `"SHA-256"`), "qop", `"auth"`)
			},
		},
		{
			name: "username* in UTF-8", alg: DigestSHA256, username: "Jürgen", password: "geheim", wantUser: "Jürgen",
			edit: func(d [][2]string) [][2]string {
				return setDirective(setDirective(d, "username", ""), "username*", "UTF-8''J%C3%BCrgen")
			},
		},
		{
			name: "MD5 by default when algorithm is left out", alg: DigestMD5, wantUser: digestTestUser,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "algorithm", "") },
		},
		{name: "wrong password", alg: DigestSHA256, password: "Secret", wantErr: ErrInvalidCredentials},
		{name: "unknown user", alg: DigestSHA256, username: "nobody", wantErr: ErrInvalidCredentials},
		{
			name: "unknown user with the placeholder HA1", alg: DigestSHA256, username: "nobody",
			ha1: testHash(DigestSHA256, ""), wantErr: ErrInvalidCredentials,
		},
		{
			name: "unknown user with the placeholder HA1 in MD5", alg: DigestMD5, username: "nobody",
			ha1: testHash(DigestMD5, ""), wantErr: ErrInvalidCredentials,
		},
		{
			name: "credentials signed for another resource", alg: DigestSHA256, signed: "/admin",
			wantErr: ErrInvalidCredentials,
		},
		{
			name: "credentials signed for the path without the query", alg: DigestSHA256, target: "/items?limit=5",
			signed: "/items", wantErr: ErrInvalidCredentials,
		},
		{
			name: "method differs from the signed one", alg: DigestSHA256, method: http.MethodPost,
			wantErr: ErrInvalidCredentials,
		},
		{
			name: "uri names another resource", alg: DigestSHA256, wantErr: ErrInvalidCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "uri", `"/admin"`) },
		},
		{
			name: "tampered nonce", alg: DigestSHA256, wantErr: ErrInvalidCredentials,
			edit: func(d [][2]string) [][2]string {
				for i, kv := range d {
					if kv[0] == "nonce" {
						b := []byte(kv[1])
						if b[5] == 'A' {
							b[5] = 'B'
						} else {
							b[5] = 'A'
						}
						d[i][1] = string(b)
					}
				}
				return d
			},
		},
		{
			name: "foreign nonce", alg: DigestSHA256, wantErr: ErrInvalidCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "nonce", `"`+rfcNonce+`"`) },
		},
		{
			name: "missing qop", alg: DigestSHA256, wantErr: ErrMalformedCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "qop", "") },
		},
		{
			name: "qop auth-int", alg: DigestSHA256, wantErr: ErrInvalidCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "qop", "auth-int") },
		},
		{
			name: "missing cnonce", alg: DigestSHA256, wantErr: ErrMalformedCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "cnonce", "") },
		},
		{
			name: "missing username", alg: DigestSHA256, wantErr: ErrMalformedCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "username", "") },
		},
		{
			name: "unknown algorithm", alg: DigestSHA256, wantErr: ErrInvalidCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "algorithm", "SHA-512-256") },
		},
		{
			name: "session algorithm", alg: DigestSHA256, wantErr: ErrInvalidCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "algorithm", "SHA-256-sess") },
		},
		{
			name: "algorithm does not fit the response length", alg: DigestSHA256, wantErr: ErrMalformedCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "algorithm", "MD5") },
		},
		{
			name: "realm of another protection space", alg: DigestSHA256, wantErr: ErrInvalidCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "realm", `"other"`) },
		},
		{
			name: "nc zero", alg: DigestSHA256, wantErr: ErrMalformedCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "nc", "00000000") },
		},
		{
			name: "nc not hex", alg: DigestSHA256, wantErr: ErrMalformedCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "nc", "0000000g") },
		},
		{
			name: "userhash", alg: DigestSHA256, wantErr: ErrMalformedCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "userhash", "true") },
		},
		{
			name: "username and username*", alg: DigestSHA256, wantErr: ErrMalformedCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "username*", "UTF-8''johndoe") },
		},
		{
			name: "response not hex", alg: DigestSHA256, wantErr: ErrMalformedCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "response", `"`+strings.Repeat("z", 64)+`"`) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newDigestFixture(t)
			target := tt.target
			if target == "" {
				target = "/users/me"
			}
			c := &testDigestClient{
				username: digestTestUser, password: digestTestPassword, cnonce: "0a4f113b",
				ha1: tt.ha1, hashedURI: tt.signed,
			}
			if tt.username != "" {
				c.username = tt.username
			}
			if tt.password != "" {
				c.password = tt.password
			}
			d := c.directives(challengeFor(t, f.scheme, tt.alg), http.MethodGet, target)
			if tt.edit != nil {
				d = tt.edit(d)
			}
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			got, err := f.scheme.Authenticate(digestRequest(method, target, formatTestDirectives(d)))
			if tt.wantErr != nil {
				assertDigestRefusal(t, err, tt.wantErr, false)
				return
			}
			if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			dg := got.(HTTPDigest)
			if !dg.Present() || dg.Username() != tt.wantUser {
				t.Fatalf("Present = %v, Username = %q; want true, %q", dg.Present(), dg.Username(), tt.wantUser)
			}
			if dg.Algorithm() != tt.alg {
				t.Fatalf("Algorithm = %q, want %q", dg.Algorithm(), tt.alg)
			}
			if f.scheme.Present() || f.scheme.Username() != "" {
				t.Fatal("Authenticate changed the configured value")
			}
		})
	}
}

// assertDigestRefusal checks that err is a 401 refusal of kind with a fresh
// challenge per algorithm, stale=true exactly when stale.
func assertDigestRefusal(t *testing.T, err, kind error, stale bool) {
	t.Helper()
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("err = %v, want %v", err, kind)
	}
	if se.Status != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", se.Status)
	}
	if len(se.Challenges) != 2 {
		t.Fatalf("challenges = %q, want two", se.Challenges)
	}
	for i, want := range []string{DigestSHA256, DigestMD5} {
		p := parseTestChallenge(t, se.Challenges[i])
		if p["algorithm"] != want || p["qop"] != "auth" || p["realm"] != digestTestRealm || p["nonce"] == "" || p["charset"] != "UTF-8" {
			t.Fatalf("challenge %d = %q", i, se.Challenges[i])
		}
		if got := p["stale"] == "true"; got != stale {
			t.Fatalf("challenge %d = %q, want stale=%v", i, se.Challenges[i], stale)
		}
	}
}

func TestHTTPDigestSameAnswerForUnknownUserAndWrongPassword(t *testing.T) {
	f := newDigestFixture(t)
	answer := func(user, password string) (string, int) {
		c := &testDigestClient{username: user, password: password, cnonce: "abc"}
		d := c.directives(challengeFor(t, f.scheme, DigestSHA256), http.MethodGet, "/")
		_, err := f.scheme.Authenticate(digestRequest(http.MethodGet, "/", formatTestDirectives(d)))
		var se *Error
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want *Error", err)
		}
		return se.Detail, se.Status
	}
	d1, s1 := answer("nobody", "secret")
	d2, s2 := answer(digestTestUser, "wrong")
	if d1 != d2 || s1 != s2 {
		t.Fatalf("unknown user: %d %q; wrong password: %d %q", s1, d1, s2, d2)
	}
}

func TestHTTPDigestNonceCount(t *testing.T) {
	tests := []struct {
		name   string
		ncs    []int // nonce-counts sent in order on one nonce
		wantOK []bool
	}{
		{name: "increasing", ncs: []int{1, 2, 3}, wantOK: []bool{true, true, true}},
		{name: "gaps are allowed", ncs: []int{1, 5, 9}, wantOK: []bool{true, true, true}},
		{name: "replayed", ncs: []int{1, 1}, wantOK: []bool{true, false}},
		{name: "lower", ncs: []int{1, 3, 2}, wantOK: []bool{true, true, false}},
		{name: "replay after a refusal stays refused", ncs: []int{4, 4, 4}, wantOK: []bool{true, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newDigestFixture(t)
			ch := challengeFor(t, f.scheme, DigestSHA256)
			for i, nc := range tt.ncs {
				c := &testDigestClient{username: digestTestUser, password: digestTestPassword, cnonce: "c1", nc: nc - 1}
				d := c.directives(ch, http.MethodGet, "/")
				_, err := f.scheme.Authenticate(digestRequest(http.MethodGet, "/", formatTestDirectives(d)))
				if tt.wantOK[i] {
					if err != nil {
						t.Fatalf("request %d (nc=%d): %v", i, nc, err)
					}
					continue
				}
				assertDigestRefusal(t, err, ErrInvalidCredentials, true)
			}
		})
	}
}

func TestHTTPDigestExpiredNonceIsStale(t *testing.T) {
	f := newDigestFixture(t)
	ch := challengeFor(t, f.scheme, DigestSHA256)
	f.clock.Advance(digestTestTTL + time.Second)

	t.Run("right password gets stale=true", func(t *testing.T) {
		c := &testDigestClient{username: digestTestUser, password: digestTestPassword, cnonce: "c1"}
		_, err := f.scheme.Authenticate(digestRequest(http.MethodGet, "/", formatTestDirectives(c.directives(ch, http.MethodGet, "/"))))
		assertDigestRefusal(t, err, ErrInvalidCredentials, true)
	})
	t.Run("wrong password gets no stale", func(t *testing.T) {
		c := &testDigestClient{username: digestTestUser, password: "nope", cnonce: "c1"}
		_, err := f.scheme.Authenticate(digestRequest(http.MethodGet, "/", formatTestDirectives(c.directives(ch, http.MethodGet, "/"))))
		assertDigestRefusal(t, err, ErrInvalidCredentials, false)
	})
	t.Run("a new nonce works", func(t *testing.T) {
		c := &testDigestClient{username: digestTestUser, password: digestTestPassword, cnonce: "c1"}
		fresh := challengeFor(t, f.scheme, DigestSHA256)
		_, err := f.scheme.Authenticate(digestRequest(http.MethodGet, "/", formatTestDirectives(c.directives(fresh, http.MethodGet, "/"))))
		if err != nil {
			t.Fatalf("Authenticate with a fresh nonce: %v", err)
		}
	})
}

func TestHTTPDigestNonceBoundToRealm(t *testing.T) {
	f := newDigestFixture(t)
	other := f.scheme
	other.Realm = "other"
	ch := challengeFor(t, other, DigestSHA256)
	ch["realm"] = digestTestRealm // the client answers the right realm with the other realm's nonce
	c := &testDigestClient{username: digestTestUser, password: digestTestPassword, cnonce: "c1"}
	_, err := f.scheme.Authenticate(digestRequest(http.MethodGet, "/", formatTestDirectives(c.directives(ch, http.MethodGet, "/"))))
	assertDigestRefusal(t, err, ErrInvalidCredentials, false)
}

func TestHTTPDigestConfiguredAlgorithmsAndOpaque(t *testing.T) {
	f := newDigestFixture(t)
	s := f.scheme
	s.Algorithms = []string{"sha-256"}
	s.Opaque = rfcOpaque

	_, err := s.Authenticate(httptest.NewRequest(http.MethodGet, "/", nil))
	var se *Error
	if !errors.As(err, &se) || len(se.Challenges) != 1 {
		t.Fatalf("err = %v, want one challenge", err)
	}
	ch := parseTestChallenge(t, se.Challenges[0])
	if ch["algorithm"] != DigestSHA256 || ch["opaque"] != rfcOpaque {
		t.Fatalf("challenge = %q", se.Challenges[0])
	}

	tests := []struct {
		name    string
		edit    func(d [][2]string) [][2]string
		wantErr error
	}{
		{name: "opaque echoed"},
		{
			name: "opaque missing", wantErr: ErrInvalidCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "opaque", "") },
		},
		{
			name: "opaque changed", wantErr: ErrInvalidCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "opaque", `"x"`) },
		},
		{
			name: "MD5 not offered", wantErr: ErrInvalidCredentials,
			edit: func(d [][2]string) [][2]string { return setDirective(d, "algorithm", "MD5") },
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &testDigestClient{username: digestTestUser, password: digestTestPassword, cnonce: "c", nc: i}
			d := c.directives(ch, http.MethodGet, "/")
			if tt.edit != nil {
				d = tt.edit(d)
			}
			_, err := s.Authenticate(digestRequest(http.MethodGet, "/", formatTestDirectives(d)))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestHTTPDigestMalformedHeader(t *testing.T) {
	tests := []struct {
		name   string
		header string
	}{
		{name: "no params", header: "Digest"},
		{name: "only spaces", header: "Digest    "},
		{name: "token68", header: "Digest abc123=="},
		{name: "unterminated quote", header: `Digest username="johndoe, realm="example"`},
		{name: "missing equals", header: `Digest username "johndoe"`},
		{name: "missing value", header: `Digest username=, realm="example"`},
		{name: "repeated directive", header: `Digest username="a", username="b"`},
		{name: "repeated directive in another case", header: `Digest realm="a", REALM="a"`},
		{name: "junk after quoted value", header: `Digest username="a"b, realm="x"`},
		{name: "control character", header: "Digest username=\"a\x01\""},
		{name: "dangling escape", header: `Digest username="a\`},
		{name: "missing every required directive", header: `Digest foo=bar`},
		{name: "too long", header: `Digest username="` + strings.Repeat("a", digestMaxHeader) + `"`},
		{name: "too many directives", header: "Digest " + manyDirectives(digestMaxParams+1)},
	}
	for _, tt := range tests {
		for _, optional := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/optional=%v", tt.name, optional), func(t *testing.T) {
				f := newDigestFixture(t)
				f.scheme.Optional = optional
				_, err := f.scheme.Authenticate(digestRequest(http.MethodGet, "/", tt.header))
				assertDigestRefusal(t, err, ErrMalformedCredentials, false)
				if f.lookups != 0 {
					t.Fatalf("Lookup ran %d times for a malformed header", f.lookups)
				}
			})
		}
	}
}

func manyDirectives(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("d%d=v", i)
	}
	return strings.Join(parts, ", ")
}

func TestHTTPDigestTwoAuthorizationHeaders(t *testing.T) {
	f := newDigestFixture(t)
	f.scheme.Optional = true
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Add("Authorization", `Digest username="a"`)
	r.Header.Add("Authorization", `Digest username="b"`)
	_, err := f.scheme.Authenticate(r)
	assertDigestRefusal(t, err, ErrMalformedCredentials, false)
}

func TestHTTPDigestOptional(t *testing.T) {
	tests := []struct {
		name        string
		optional    bool
		header      string
		wantErr     error
		wantPresent bool
	}{
		{name: "required, no header", wantErr: ErrNoCredentials},
		{name: "required, Basic header", header: "Basic am9objpzZWNyZXQ=", wantErr: ErrNoCredentials},
		{name: "required, scheme that starts like Digest", header: `DigestX username="a"`, wantErr: ErrNoCredentials},
		{name: "optional, no header", optional: true},
		{name: "optional, Basic header", optional: true, header: "Basic am9objpzZWNyZXQ="},
		{name: "optional, wrong password", optional: true, header: "wrong", wantErr: ErrInvalidCredentials},
		{name: "optional, right password", optional: true, header: "right", wantPresent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newDigestFixture(t)
			f.scheme.Optional = tt.optional
			header := tt.header
			if header == "wrong" || header == "right" {
				pw := digestTestPassword
				if header == "wrong" {
					pw = "nope"
				}
				c := &testDigestClient{username: digestTestUser, password: pw, cnonce: "c"}
				header = formatTestDirectives(c.directives(challengeFor(t, f.scheme, DigestMD5), http.MethodGet, "/"))
			}
			got, err := f.scheme.Authenticate(digestRequest(http.MethodGet, "/", header))
			if tt.wantErr != nil {
				assertDigestRefusal(t, err, tt.wantErr, false)
				return
			}
			if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			if got.Present() != tt.wantPresent {
				t.Fatalf("Present = %v, want %v", got.Present(), tt.wantPresent)
			}
		})
	}
}

func TestHTTPDigestMisconfigured(t *testing.T) {
	good := newDigestFixture(t).scheme
	tests := []struct {
		name string
		edit func(s *HTTPDigest)
		want string
	}{
		{name: "nil Lookup", edit: func(s *HTTPDigest) { s.Lookup = nil }, want: "Lookup is nil"},
		{name: "nil Nonces", edit: func(s *HTTPDigest) { s.Nonces = nil }, want: "Nonces is nil"},
		{name: "empty realm", edit: func(s *HTTPDigest) { s.Realm = "" }, want: "Realm is empty"},
		{name: "unknown algorithm", edit: func(s *HTTPDigest) { s.Algorithms = []string{"SHA-512"} }, want: `algorithm "SHA-512" is not supported`},
		{
			name: "short nonce key", edit: func(s *HTTPDigest) { s.Nonces = NewDigestNonces([]byte("short"), 0, nil) },
			want: "key has 5 bytes, want at least 16",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good
			tt.edit(&s)
			err := s.Validate()
			if !errors.Is(err, ErrSchemeMisconfigured) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v, want %q wrapping ErrSchemeMisconfigured", err, tt.want)
			}
			_, err = s.Authenticate(digestRequest(http.MethodGet, "/", `Digest username="a"`))
			var se *Error
			if errors.As(err, &se) || !errors.Is(err, ErrSchemeMisconfigured) {
				t.Fatalf("Authenticate = %v, want a plain error wrapping ErrSchemeMisconfigured", err)
			}
		})
	}
	t.Run("good", func(t *testing.T) {
		if err := good.Validate(); err != nil {
			t.Fatalf("Validate = %v", err)
		}
	})
}

func TestHTTPDigestLookupError(t *testing.T) {
	f := newDigestFixture(t)
	boom := errors.New("database down")
	f.scheme.Lookup = func(context.Context, string, string, string) (string, bool, error) { return "", false, boom }
	c := &testDigestClient{username: digestTestUser, password: digestTestPassword, cnonce: "c"}
	d := c.directives(challengeFor(t, f.scheme, DigestSHA256), http.MethodGet, "/")
	_, err := f.scheme.Authenticate(digestRequest(http.MethodGet, "/", formatTestDirectives(d)))
	var se *Error
	if errors.As(err, &se) || !errors.Is(err, boom) {
		t.Fatalf("err = %v, want a plain error wrapping the lookup error", err)
	}
}

func TestHTTPDigestOpenAPI(t *testing.T) {
	s := HTTPDigest{SchemeID: "digestAuth", Description: "Digest login"}
	a, b := s.OpenAPI(), s.OpenAPI()
	if a == b {
		t.Fatal("OpenAPI returned the same pointer twice")
	}
	if a.Type != "http" || a.Scheme != "digest" || a.Description != "Digest login" {
		t.Fatalf("OpenAPI = %+v", a)
	}
	if err := a.Validate(context.Background()); err != nil {
		t.Fatalf("kin-openapi Validate: %v", err)
	}
	if s.SchemeName() != "digestAuth" {
		t.Fatalf("SchemeName = %q", s.SchemeName())
	}
}

// TestHTTPDigestOverHTTP runs the whole exchange through gin middleware and
// a real HTTP client: 401 with two challenges, then 200.
func TestHTTPDigestOverHTTP(t *testing.T) {
	gin.SetMode(gin.TestMode)
	f := newDigestFixture(t)
	engine := gin.New()
	engine.GET("/whoami", f.scheme.HandlerFunc(), func(c *gin.Context) {
		s, ok := From[HTTPDigest](c)
		if !ok {
			c.String(http.StatusInternalServerError, "no scheme")
			return
		}
		c.String(http.StatusOK, s.Username())
	})
	srv := httptest.NewServer(engine)
	defer srv.Close()

	for _, alg := range []string{DigestSHA256, DigestMD5} {
		t.Run(alg, func(t *testing.T) {
			resp, err := srv.Client().Get(srv.URL + "/whoami?x=1")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			challenges := resp.Header.Values("WWW-Authenticate")
			if resp.StatusCode != http.StatusUnauthorized || len(challenges) != 2 {
				t.Fatalf("first answer: %d %q", resp.StatusCode, challenges)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type = %q", ct)
			}
			if !strings.Contains(challenges[0], "algorithm=SHA-256") || !strings.Contains(challenges[1], "algorithm=MD5") {
				t.Fatalf("challenges out of order: %q", challenges)
			}
			var ch map[string]string
			for _, c := range challenges {
				if p := parseTestChallenge(t, c); p["algorithm"] == alg {
					ch = p
				}
			}
			c := &testDigestClient{username: digestTestUser, password: digestTestPassword, cnonce: "xyz"}
			for i := 0; i < 2; i++ { // the second request reuses the nonce with nc=2
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/whoami?x=1", nil)
				req.Header.Set("Authorization", formatTestDirectives(c.directives(ch, http.MethodGet, "/whoami?x=1")))
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || string(body) != digestTestUser {
					t.Fatalf("request %d: %d %q", i, resp.StatusCode, body)
				}
			}
		})
	}
}

func TestParseDigestCredentials(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want digestParams
	}{
		{name: "tokens and quoted strings", in: `username="Mufasa", nc=00000001, qop=auth`,
			want: digestParams{"username": "Mufasa", "nc": "00000001", "qop": "auth"}},
		{name: "comma inside a quoted value", in: `uri="/a,b", realm="x, y"`,
			want: digestParams{"uri": "/a,b", "realm": "x, y"}},
		{name: "escapes", in: `username="a\"b\\c\d"`, want: digestParams{"username": `a"b\cd`}},
		{name: "names are case-insensitive", in: `UserName="a", REALM=b`, want: digestParams{"username": "a", "realm": "b"}},
		{name: "spaces and tabs around equals", in: "username = \"a\" ,\trealm\t=\tb", want: digestParams{"username": "a", "realm": "b"}},
		{name: "empty list elements", in: `, ,username="a",,realm=b,`, want: digestParams{"username": "a", "realm": "b"}},
		{name: "empty quoted value", in: `opaque=""`, want: digestParams{"opaque": ""}},
		{name: "UTF-8 in a quoted value", in: `realm="Zürich"`, want: digestParams{"realm": "Zürich"}},
		{name: "extended name", in: `username*=UTF-8''J%C3%BCrgen`, want: digestParams{"username*": "UTF-8''J%C3%BCrgen"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDigestCredentials(tt.in)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if !maps.Equal(got, tt.want) {
				t.Fatalf("parse = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseDigestCredentialsLimits(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{name: "as many directives as allowed", in: manyDirectives(digestMaxParams)},
		{name: "one directive too many", in: manyDirectives(digestMaxParams + 1), wantErr: true},
		{name: "as long as allowed", in: `a="` + strings.Repeat("x", digestMaxHeader-4) + `"`},
		{name: "one byte too long", in: `a="` + strings.Repeat("x", digestMaxHeader-3) + `"`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseDigestCredentials(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parse error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestDigestNoncesConcurrentUse(t *testing.T) {
	n := NewDigestNonces(nil, time.Hour, nil)
	nonce := n.issue("r")
	issued, state := n.check(nonce, "r")
	if state != nonceValid {
		t.Fatalf("check = %v, want valid", state)
	}
	const workers, perWorker = 8, 200
	var mu sync.Mutex
	accepted := map[uint32]int{}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for nc := uint32(1); nc <= perWorker; nc++ {
				if n.use(nonce, issued, nc) == nonceValid {
					mu.Lock()
					accepted[nc]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for nc, count := range accepted {
		if count != 1 {
			t.Fatalf("nc %d was accepted %d times", nc, count)
		}
	}
	if len(accepted) == 0 {
		t.Fatal("no nc was accepted")
	}
}

func TestDigestNoncesBounded(t *testing.T) {
	clock := &digestClock{now: time.Unix(1_700_000_000, 0)}
	n := NewDigestNonces(nil, time.Minute, clock.Now)
	n.limit = 8

	var nonces []string
	for i := 0; i < 40; i++ {
		clock.Advance(time.Millisecond)
		nonce := n.issue("r")
		issued, state := n.check(nonce, "r")
		if state != nonceValid {
			t.Fatalf("nonce %d: check = %v", i, state)
		}
		if got := n.use(nonce, issued, 1); got != nonceValid {
			t.Fatalf("nonce %d: first use = %v", i, got)
		}
		if n.tracked() > n.limit {
			t.Fatalf("tracking %d nonces, limit %d", n.tracked(), n.limit)
		}
		nonces = append(nonces, nonce)
	}
	t.Run("forgotten nonces stay refused", func(t *testing.T) {
		for i, nonce := range nonces {
			issued, state := n.check(nonce, "r")
			if state == nonceInvalid {
				t.Fatalf("nonce %d: check = invalid", i)
			}
			if got := n.use(nonce, issued, 1); got == nonceValid {
				t.Fatalf("nonce %d: a replay of nc=1 was accepted", i)
			}
		}
	})
	t.Run("the newest nonce keeps working", func(t *testing.T) {
		last := nonces[len(nonces)-1]
		issued, state := n.check(last, "r")
		if state != nonceValid || n.use(last, issued, 2) != nonceValid {
			t.Fatalf("newest nonce: check = %v", state)
		}
	})
	t.Run("expired entries are dropped", func(t *testing.T) {
		clock.Advance(2 * time.Minute)
		fresh := n.issue("r")
		issued, _ := n.check(fresh, "r")
		if got := n.use(fresh, issued, 1); got != nonceValid {
			t.Fatalf("fresh nonce: use = %v", got)
		}
		if got := n.tracked(); got != 1 {
			t.Fatalf("tracking %d nonces after expiry, want 1", got)
		}
	})
}

func FuzzDigestHeader(f *testing.F) {
	for _, seed := range []string{
		`username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, ` +
			`nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", ` +
			`qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
		`username*=UTF-8''J%C3%BCrgen, realm="a\"b"`,
		`, ,a=b,,`,
		`username="unterminated`,
		`username="a\`,
		`a==b`,
		`=b`,
		`a=b c=d`,
		"a=\"\x00\"",
		`a="x", A="y"`,
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseDigestCredentials(s)
		if err != nil {
			return
		}
		// What parses must survive being written back and parsed again.
		parts := make([]string, 0, len(p))
		for name, value := range p {
			parts = append(parts, name+"="+quoteAuthParam(value))
		}
		again, err := parseDigestCredentials(strings.Join(parts, ", "))
		if err != nil {
			t.Fatalf("re-parse of %q: %v", parts, err)
		}
		if !maps.Equal(p, again) {
			t.Fatalf("re-parse = %v, want %v", again, p)
		}
		_, _ = p.user()
	})
}

// The HTTPDigest entry of the conformance suite: confUser with confPassword
// in realm "example".
var confDigest = HTTPDigest{
	SchemeID: "digest", Description: "Digest login.", Realm: "example",
	Lookup: func(_ context.Context, user, realm, algorithm string) (string, bool, error) {
		if user != confUser {
			return "", false, nil
		}
		return DigestHA1(algorithm, user, realm, confPassword), true, nil
	},
	Nonces: NewDigestNonces(nil, time.Hour, nil),
}

// confDigestRequest returns a builder of GET / requests with SHA-256 digest
// credentials for confUser and password, on a fresh nonce each time, as the
// independent test client computes them.
func confDigestRequest(password string) func(testing.TB) *http.Request {
	return func(testing.TB) *http.Request {
		c := &testDigestClient{username: confUser, password: password, cnonce: "conf"}
		ch := map[string]string{
			"realm": confDigest.Realm, "algorithm": DigestSHA256, "nonce": confDigest.Nonces.issue(confDigest.Realm),
		}
		return digestRequest(http.MethodGet, "/", formatTestDirectives(c.directives(ch, http.MethodGet, "/")))
	}
}

// confDigestUserOf reads the username of an authenticated HTTPDigest.
func confDigestUserOf(s Scheme) string { return s.(interface{ Username() string }).Username() }

// confDigestNonce matches the nonce of a challenge, which changes per answer.
var confDigestNonce = regexp.MustCompile(`nonce="[^"]*"`)

// confDigestNormalize replaces the nonce of a challenge with a placeholder.
func confDigestNormalize(c string) string { return confDigestNonce.ReplaceAllString(c, `nonce="N"`) }

// confDigestChallenges are the normalized challenges of every confDigest refusal.
var confDigestChallenges = []string{
	`Digest realm="example", qop="auth", algorithm=SHA-256, nonce="N", charset=UTF-8`,
	`Digest realm="example", qop="auth", algorithm=MD5, nonce="N", charset=UTF-8`,
}

// confDigestCase is HTTPDigest's entry for the shared conformance suite.
// It is not in conformanceCases because BenchmarkSchemeAuthenticate sends one
// request over and over, and a digest nonce-count is single-use: the replay
// is refused. TestHTTPDigestConformance runs the suite's checks on it.
var confDigestCase = conformanceCase{
	name: "HTTPDigest", scheme: confDigest,
	optional: confOptional(confDigest, func(s *HTTPDigest) { s.Optional = true }),
	valid:    confDigestRequest(confPassword), credential: confDigestUserOf, wantCredential: confUser,
	malformed:   confRequest("/", confHeader("Authorization", `Digest username="`+confUser+`", realm=`)),
	wrongScheme: confReqBearer,
	invalid:     confDigestRequest("not-" + confPassword),
	secrets:     []string{confUser, confPassword},
	wantMissing: confDigestChallenges, wantMalformed: confDigestChallenges, wantInvalid: confDigestChallenges,
	normalize:   confDigestNormalize,
	wantOpenAPI: `{"type":"http","scheme":"digest","description":"Digest login."}`,
	fromGin:     confFromGin[HTTPDigest](confDigestUserOf),
}

// TestHTTPDigestConformance runs the checks of TestConformance on
// confDigestCase.
func TestHTTPDigestConformance(t *testing.T) {
	tc := confDigestCase
	requests := []struct {
		name  string
		build func(testing.TB) *http.Request
		kind  error // nil: accepted; ErrNoCredentials: missing
		want  []string
	}{
		{name: "missing", build: confReqNone, kind: ErrNoCredentials, want: tc.wantMissing},
		{name: "valid", build: tc.valid},
		{name: "malformed", build: tc.malformed, kind: ErrMalformedCredentials, want: tc.wantMalformed},
		{name: "wrong scheme", build: tc.wrongScheme, kind: ErrNoCredentials, want: tc.wantMissing},
		{name: "invalid", build: tc.invalid, kind: ErrInvalidCredentials, want: tc.wantInvalid},
	}
	for _, rq := range requests {
		for _, optional := range []bool{false, true} {
			name, s := rq.name, tc.scheme
			if optional {
				name, s = rq.name+"/optional", tc.optional
			}
			t.Run(name, func(t *testing.T) {
				got, err := s.Authenticate(rq.build(t))
				switch {
				case rq.kind == nil:
					tc.checkAccepted(t, s, got, err)
				case rq.kind == ErrNoCredentials && optional:
					tc.checkAbsent(t, got, err)
				default:
					tc.checkRefusal(t, got, err, rq.kind, rq.want)
				}
			})
		}
	}
	t.Run("openapi", func(t *testing.T) { tc.checkOpenAPI(t) })
	t.Run("gin", func(t *testing.T) { tc.checkGin(t) })
	t.Run("concurrent", func(t *testing.T) { tc.checkConcurrent(t) })
}

// BenchmarkHTTPDigestAuthenticate measures a successful digest
// authentication, which the shared benchmark cannot: it needs a fresh
// nonce-count per request. Building the request is part of the measurement.
func BenchmarkHTTPDigestAuthenticate(b *testing.B) {
	for _, alg := range []string{DigestSHA256, DigestMD5} {
		b.Run(alg, func(b *testing.B) {
			s := confDigest
			s.Algorithms = []string{alg}
			ch := map[string]string{"realm": s.Realm, "algorithm": alg, "nonce": s.Nonces.issue(s.Realm)}
			c := &testDigestClient{username: confUser, password: confPassword, cnonce: "bench"}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				r := digestRequest(http.MethodGet, "/", formatTestDirectives(c.directives(ch, http.MethodGet, "/")))
				if _, err := s.Authenticate(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
