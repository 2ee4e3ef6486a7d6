package security

import (
	"net/http"
	"strings"
)

// This file holds the helpers every scheme shares to read the Authorization
// header and to write WWW-Authenticate challenges (RFC 9110 §11).

// authParam is one name="value" pair of a challenge.
type authParam struct {
	name, value string
}

// formatChallenge writes an RFC 9110 §11.3 challenge: the auth-scheme, then
// the parameters as quoted strings separated by ", ". Parameters with an empty
// name are skipped; an empty value is written as "".
func formatChallenge(scheme string, params ...authParam) string {
	var b strings.Builder
	b.WriteString(scheme)
	sep := " "
	for _, p := range params {
		if p.name == "" {
			continue
		}
		b.WriteString(sep)
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(quoteAuthParam(p.value))
		sep = ", "
	}
	return b.String()
}

// quoteAuthParam returns s as an RFC 9110 §5.6.4 quoted-string: a double
// quote and a backslash are escaped with a backslash, and control characters
// other than horizontal tab, which a quoted-string cannot carry, are dropped.
// Bytes at or above 0x80 are kept as obs-text, so a UTF-8 realm survives.
func quoteAuthParam(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t' || (c >= 0x20 && c != 0x7f):
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// readAuthorization splits the request's Authorization header into its
// auth-scheme and the rest (RFC 9110 §11.6.2), with surrounding whitespace
// removed. kind is nil on success, ErrNoCredentials when the header is absent
// or blank, and ErrMalformedCredentials when the request carries more than one
// Authorization header, since a server cannot tell which one the client meant.
// detail explains a failure without repeating the header's content.
func readAuthorization(r *http.Request) (scheme, credentials string, kind error, detail string) {
	values := r.Header.Values("Authorization")
	switch {
	case len(values) == 0:
		return "", "", ErrNoCredentials, ""
	case len(values) > 1:
		return "", "", ErrMalformedCredentials, "the request has more than one Authorization header"
	}
	v := strings.Trim(values[0], " \t")
	if v == "" {
		return "", "", ErrNoCredentials, ""
	}
	i := strings.IndexAny(v, " \t")
	if i < 0 {
		return v, "", nil, ""
	}
	return v[:i], strings.TrimLeft(v[i:], " \t"), nil, ""
}
