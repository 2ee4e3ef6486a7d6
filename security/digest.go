package security

import (
	"context"
	"crypto/md5" //nolint:gosec // RFC 7616 keeps MD5 for old clients; SHA-256 is offered first.
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// Digest algorithms that [HTTPDigest] supports.
const (
	DigestSHA256 = "SHA-256"
	DigestMD5    = "MD5"
)

// Limits of the Authorization header parser.
const (
	digestMaxHeader = 8 << 10
	digestMaxParams = 32
)

// HTTPDigest is HTTP Digest access authentication as RFC 7616 defines it,
// with qop "auth" and the SHA-256 and MD5 algorithms.
//
// The server never sees or stores passwords: Lookup returns the stored HA1,
// H(username ":" realm ":" password) in lowercase hex, which [DigestHA1]
// computes. Nonces come from Nonces, which checks their age and refuses a
// replayed nonce-count. When a nonce has expired but the rest of the
// response is right, the new challenge carries stale=true, so the client
// retries without asking the user.
//
// Not supported: qop "auth-int", the "-sess" algorithms and userhash (a
// request with userhash=true is refused as malformed). No
// Authentication-Info header is sent on success.
//
// The configured value is safe for concurrent use; Authenticate returns a
// copy that carries the username.
type HTTPDigest struct {
	// SchemeID is the scheme's name in components.securitySchemes. It may be
	// empty; see [Scheme.SchemeName].
	SchemeID string
	// Description documents the scheme in OpenAPI.
	Description string
	// Realm names the protection space. It is part of every HA1 and must not
	// be empty.
	Realm string
	// Algorithms lists the algorithms to offer, from DigestSHA256 and
	// DigestMD5, most preferred first. Empty means both, SHA-256 first. The
	// challenge carries one WWW-Authenticate header per algorithm, as RFC 7616
	// section 3.7 allows.
	Algorithms []string
	// Opaque, when set, is sent in every challenge, and a response must echo it.
	Opaque string
	// Lookup returns the stored HA1 for username in realm, in lowercase hex,
	// for algorithm (DigestSHA256 or DigestMD5). It returns ok false for an
	// unknown user, and an error only when the lookup itself failed.
	Lookup func(ctx context.Context, username, realm, algorithm string) (ha1 string, ok bool, err error)
	// Nonces issues and checks nonces. Share one store between the requests
	// of a scheme; see [NewDigestNonces].
	Nonces *DigestNonces
	// Optional lets a request without a Digest Authorization header through,
	// with Present reporting false. A malformed or wrong one is still refused.
	Optional bool

	username  string
	algorithm string
}

// SchemeName returns SchemeID.
func (s HTTPDigest) SchemeName() string { return s.SchemeID }

// Present reports whether the value carries an authenticated username.
func (s HTTPDigest) Present() bool { return s.username != "" }

// Username returns the authenticated username, or "" when none was sent.
func (s HTTPDigest) Username() string { return s.username }

// Algorithm returns the algorithm the client authenticated with, or "".
func (s HTTPDigest) Algorithm() string { return s.algorithm }

// HandlerFunc returns the scheme as gin middleware; see [HandlerFunc].
func (s HTTPDigest) HandlerFunc() gin.HandlerFunc { return HandlerFunc(s) }

// OpenAPI describes the scheme as an http scheme "digest".
func (s HTTPDigest) OpenAPI() *openapi3.SecurityScheme {
	return &openapi3.SecurityScheme{Type: "http", Scheme: "digest", Description: s.Description}
}

// Validate reports a configuration that cannot work: no Lookup, no Nonces,
// an empty realm or an unsupported algorithm. The error wraps
// [ErrSchemeMisconfigured]. Authenticate returns the same error.
func (s HTTPDigest) Validate() error {
	var problems []string
	if s.Realm == "" {
		problems = append(problems, "Realm is empty")
	}
	if s.Lookup == nil {
		problems = append(problems, "Lookup is nil (set it to a function that returns stored HA1 values, see DigestHA1)")
	}
	if s.Nonces == nil {
		problems = append(problems, "Nonces is nil (set it with NewDigestNonces)")
	} else if s.Nonces.err != nil {
		problems = append(problems, s.Nonces.err.Error())
	}
	for _, a := range s.Algorithms {
		if digestHash(a) == nil {
			problems = append(problems, fmt.Sprintf("algorithm %q is not supported (use %q or %q)", a, DigestSHA256, DigestMD5))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("HTTPDigest %q: %s: %w", s.SchemeID, strings.Join(problems, "; "), ErrSchemeMisconfigured)
}

// algorithms returns the configured algorithms in canonical spelling.
func (s HTTPDigest) algorithms() []string {
	if len(s.Algorithms) == 0 {
		return []string{DigestSHA256, DigestMD5}
	}
	out := make([]string, len(s.Algorithms))
	for i, a := range s.Algorithms {
		out[i] = canonicalDigestAlgorithm(a)
	}
	return out
}

// challenges returns one WWW-Authenticate value per algorithm, all with one
// fresh nonce.
func (s HTTPDigest) challenges(stale bool) []string {
	nonce := s.Nonces.issue(s.Realm)
	algs := s.algorithms()
	out := make([]string, len(algs))
	for i, a := range algs {
		var b strings.Builder
		b.WriteString(`Digest realm=`)
		b.WriteString(quoteAuthParam(s.Realm))
		b.WriteString(`, qop="auth", algorithm=`)
		b.WriteString(a)
		b.WriteString(`, nonce="`)
		b.WriteString(nonce)
		b.WriteString(`"`)
		if s.Opaque != "" {
			b.WriteString(`, opaque=`)
			b.WriteString(quoteAuthParam(s.Opaque))
		}
		b.WriteString(`, charset=UTF-8`)
		if stale {
			b.WriteString(`, stale=true`)
		}
		out[i] = b.String()
	}
	return out
}

// refuse returns a 401 of category kind with fresh challenges.
func (s HTTPDigest) refuse(kind error, detail string, stale bool) *Error {
	return &Error{
		Status:     http.StatusUnauthorized,
		Detail:     detail,
		Challenges: s.challenges(stale),
		Err:        kind,
	}
}

// Authenticate checks the Digest Authorization header of r. A request
// without one is refused with ErrNoCredentials and the challenges, unless
// Optional is set. A malformed header is refused with
// ErrMalformedCredentials; a wrong password, an unknown user, a foreign or
// expired nonce and a replayed nonce-count with ErrInvalidCredentials.
// Unknown users and wrong passwords get the same answer.
//
// A misconfigured scheme (see Validate) and a failing Lookup give a plain
// error, not a refusal.
func (s HTTPDigest) Authenticate(r *http.Request) (Scheme, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	scheme, rest, kind, detail := readAuthorization(r)
	if kind == nil && !strings.EqualFold(scheme, "Digest") {
		kind = ErrNoCredentials // another scheme's credentials
	}
	switch kind {
	case nil:
	case ErrNoCredentials:
		if s.Optional {
			return s, nil
		}
		return nil, s.refuse(ErrNoCredentials, "digest authentication required", false)
	default:
		return nil, s.refuse(kind, detail, false)
	}
	p, err := parseDigestCredentials(rest)
	if err != nil {
		return nil, s.refuse(ErrMalformedCredentials, err.Error(), false)
	}
	username, err := p.user()
	if err != nil {
		return nil, s.refuse(ErrMalformedCredentials, err.Error(), false)
	}
	for _, name := range []string{"realm", "nonce", "uri", "response", "qop", "nc", "cnonce"} {
		if _, ok := p[name]; !ok {
			return nil, s.refuse(ErrMalformedCredentials, "digest credentials lack the "+name+" directive", false)
		}
	}
	nc, err := parseNonceCount(p["nc"])
	if err != nil {
		return nil, s.refuse(ErrMalformedCredentials, err.Error(), false)
	}
	algorithm, offered := s.offered(p["algorithm"])
	if !offered {
		return nil, s.refuse(ErrInvalidCredentials, "digest algorithm is not supported", false)
	}
	if !isHex(p["response"], 2*digestSize(algorithm)) {
		return nil, s.refuse(ErrMalformedCredentials, "digest response is not a hex digest of the right length", false)
	}
	switch {
	case !strings.EqualFold(p["qop"], "auth"):
		return nil, s.refuse(ErrInvalidCredentials, `digest qop must be "auth"`, false)
	case p["realm"] != s.Realm:
		return nil, s.refuse(ErrInvalidCredentials, "digest realm does not match", false)
	case s.Opaque != "" && p["opaque"] != s.Opaque:
		return nil, s.refuse(ErrInvalidCredentials, "digest opaque does not match", false)
	case !digestURIMatches(r, p["uri"]):
		return nil, s.refuse(ErrInvalidCredentials, "digest uri does not match the request", false)
	}
	issued, state := s.Nonces.check(p["nonce"], s.Realm)
	if state == nonceInvalid {
		return nil, s.refuse(ErrInvalidCredentials, "digest nonce is not valid", false)
	}

	ha1, known, err := s.Lookup(r.Context(), username, s.Realm, algorithm)
	if err != nil {
		return nil, fmt.Errorf("security: HTTPDigest %q: looking up user: %w", s.SchemeID, err)
	}
	if !known {
		// Spend the same work as for a known user, so that timing does not
		// tell unknown users from wrong passwords.
		ha1 = digestUnknownHA1(algorithm)
	}
	want := digestResponse(algorithm, strings.ToLower(ha1), p["nonce"], p["nc"], p["cnonce"], p["qop"], r.Method, p["uri"])
	good := subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(p["response"]))) == 1
	if !good || !known {
		return nil, s.refuse(ErrInvalidCredentials, "invalid username or password", false)
	}
	if state == nonceStale {
		return nil, s.refuse(ErrInvalidCredentials, "digest nonce has expired", true)
	}
	switch s.Nonces.use(p["nonce"], issued, nc) {
	case nonceInvalid:
		// The client knew the password, so a new nonce lets it retry; a
		// replaying attacker gains nothing from one.
		return nil, s.refuse(ErrInvalidCredentials, "digest nonce count was already used", true)
	case nonceStale:
		return nil, s.refuse(ErrInvalidCredentials, "digest nonce has expired", true)
	}
	s.username = username
	s.algorithm = algorithm
	return s, nil
}

// offered returns the canonical name of the algorithm a response names, and
// whether the scheme offers it. A response without an algorithm means MD5.
func (s HTTPDigest) offered(alg string) (string, bool) {
	if alg == "" {
		alg = DigestMD5
	}
	alg = canonicalDigestAlgorithm(alg)
	for _, a := range s.algorithms() {
		if a == alg {
			return a, true
		}
	}
	return "", false
}

// DigestHA1 returns H(username ":" realm ":" password) in lowercase hex for
// algorithm DigestSHA256 or DigestMD5 (compared case-insensitively), which is
// what an [HTTPDigest] Lookup returns. Apps store it in place of the
// password. It returns "" for an unsupported algorithm.
func DigestHA1(algorithm, username, realm, password string) string {
	if digestHash(algorithm) == nil {
		return ""
	}
	return digestH(algorithm, username+":"+realm+":"+password)
}

// digestResponse computes the RFC 7616 request-digest for qop "auth":
// H(HA1:nonce:nc:cnonce:qop:H(method:uri)).
func digestResponse(algorithm, ha1, nonce, nc, cnonce, qop, method, uri string) string {
	ha2 := digestH(algorithm, method+":"+uri)
	return digestH(algorithm, ha1+":"+nonce+":"+nc+":"+cnonce+":"+qop+":"+ha2)
}

// digestUnknownHA1 is the HA1 compared against for unknown users. It is the
// hash of an empty input: no password hashes to it, as the stored HA1 always
// includes the username, realm and two colons.
func digestUnknownHA1(algorithm string) string { return digestH(algorithm, "") }

// digestH hashes s with algorithm and returns lowercase hex.
func digestH(algorithm, s string) string {
	h := digestHash(algorithm)
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))
}

// digestHash returns a new hash for algorithm, or nil when it is unsupported.
func digestHash(algorithm string) hash.Hash {
	switch canonicalDigestAlgorithm(algorithm) {
	case DigestSHA256:
		return sha256.New()
	case DigestMD5:
		return md5.New() //nolint:gosec // see the import
	}
	return nil
}

// digestSize returns the digest size in bytes of a supported algorithm.
func digestSize(algorithm string) int { return digestHash(algorithm).Size() }

// isHex reports whether s is n hex digits.
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// canonicalDigestAlgorithm spells a supported algorithm name as the
// constants do; algorithm names are case-insensitive.
func canonicalDigestAlgorithm(a string) string {
	switch {
	case strings.EqualFold(a, DigestSHA256):
		return DigestSHA256
	case strings.EqualFold(a, DigestMD5):
		return DigestMD5
	}
	return a
}

// digestURIMatches reports whether the uri directive names the request
// target of r.
func digestURIMatches(r *http.Request, uri string) bool {
	if r.RequestURI != "" && uri == r.RequestURI {
		return true
	}
	return r.URL != nil && uri == r.URL.RequestURI()
}

// parseNonceCount parses the nc directive: 8 hex digits, not zero.
func parseNonceCount(s string) (uint32, error) {
	if len(s) != 8 {
		return 0, errors.New("digest nc must be 8 hex digits")
	}
	n, err := strconv.ParseUint(s, 16, 32)
	if err != nil || n == 0 {
		return 0, errors.New("digest nc must be 8 hex digits and not zero")
	}
	return uint32(n), nil
}

// digestParams holds the directives of Digest credentials by lowercase name.
type digestParams map[string]string

// user returns the username from the username or username* directive, and
// refuses userhash, which is not supported.
func (p digestParams) user() (string, error) {
	if strings.EqualFold(p["userhash"], "true") {
		return "", errors.New("digest userhash is not supported")
	}
	plain, hasPlain := p["username"]
	ext, hasExt := p["username*"]
	switch {
	case hasPlain && hasExt:
		return "", errors.New("digest credentials carry both username and username*")
	case hasExt:
		return decodeExtValue(ext)
	case hasPlain && plain != "":
		return plain, nil
	}
	return "", errors.New("digest credentials lack the username directive")
}

// decodeExtValue decodes an RFC 8187 ext-value in UTF-8, as username* uses.
func decodeExtValue(v string) (string, error) {
	charset, rest, ok := strings.Cut(v, "'")
	if !ok || !strings.EqualFold(charset, "UTF-8") {
		return "", errors.New("digest username* must be UTF-8 encoded")
	}
	_, enc, ok := strings.Cut(rest, "'") // skip the language tag
	if !ok {
		return "", errors.New("digest username* is malformed")
	}
	s, err := url.PathUnescape(enc)
	if err != nil || s == "" {
		return "", errors.New("digest username* is malformed")
	}
	return s, nil
}

// parseDigestCredentials parses the auth-params of Digest credentials:
// a comma-separated list of name=value pairs, where a value is a token or
// an RFC 9110 quoted-string with backslash escapes. Names are
// case-insensitive; a repeated name, a bare token68 and stray characters are
// errors. Empty list elements are allowed, as RFC 9110 section 5.6.1 asks.
func parseDigestCredentials(s string) (digestParams, error) {
	if len(s) > digestMaxHeader {
		return nil, errors.New("digest credentials are too long")
	}
	p := digestParams{}
	i := 0
	for {
		i = skipListSeparators(s, i)
		if i >= len(s) {
			break
		}
		start := i
		for i < len(s) && isTokenChar(s[i]) {
			i++
		}
		if i == start {
			return nil, fmt.Errorf("digest credentials: unexpected %q at offset %d", s[i], i)
		}
		name := strings.ToLower(s[start:i])
		i = skipSpace(s, i)
		if i >= len(s) || s[i] != '=' {
			return nil, fmt.Errorf("digest credentials: directive %q has no value", name)
		}
		i = skipSpace(s, i+1)
		var value string
		if i < len(s) && s[i] == '"' {
			v, n, err := unquoteString(s[i:])
			if err != nil {
				return nil, fmt.Errorf("digest credentials: directive %q: %w", name, err)
			}
			value, i = v, i+n
		} else {
			start := i
			for i < len(s) && isTokenChar(s[i]) {
				i++
			}
			if i == start {
				return nil, fmt.Errorf("digest credentials: directive %q has no value", name)
			}
			value = s[start:i]
		}
		if _, dup := p[name]; dup {
			return nil, fmt.Errorf("digest credentials: directive %q is repeated", name)
		}
		if len(p) == digestMaxParams {
			return nil, errors.New("digest credentials have too many directives")
		}
		p[name] = value
		i = skipSpace(s, i)
		if i < len(s) && s[i] != ',' {
			return nil, fmt.Errorf("digest credentials: unexpected %q after directive %q", s[i], name)
		}
	}
	if len(p) == 0 {
		return nil, errors.New("digest credentials are empty")
	}
	return p, nil
}

// unquoteString decodes the quoted-string at the start of s and returns it
// with the number of bytes it took.
func unquoteString(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return b.String(), i + 1, nil
		case c == '\\':
			i++
			if i == len(s) {
				return "", 0, errors.New("unterminated quoted string")
			}
			if !isQuotedPairChar(s[i]) {
				return "", 0, errors.New("invalid escape in quoted string")
			}
			b.WriteByte(s[i])
		case isQDText(c):
			b.WriteByte(c)
		default:
			return "", 0, fmt.Errorf("invalid character %q in quoted string", c)
		}
	}
	return "", 0, errors.New("unterminated quoted string")
}

// skipSpace skips optional whitespace (SP and HTAB) from i.
func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// skipListSeparators skips whitespace and commas from i.
func skipListSeparators(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
		i++
	}
	return i
}

// isTokenChar reports whether c is an RFC 9110 tchar.
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// isQDText reports whether c may appear unescaped in a quoted-string.
func isQDText(c byte) bool {
	return c == '\t' || c == ' ' || c == 0x21 || (0x23 <= c && c <= 0x5B) || (0x5D <= c && c <= 0x7E) || c >= 0x80
}

// isQuotedPairChar reports whether c may follow a backslash in a quoted-string.
func isQuotedPairChar(c byte) bool {
	return c == '\t' || c == ' ' || (0x21 <= c && c <= 0x7E) || c >= 0x80
}
