package oauth2server

import (
	"slices"
	"strings"
)

// validScopeToken reports whether s is a scope-token of RFC 6749 §3.3:
// one or more printable ASCII characters other than space, '"' and '\'.
func validScopeToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// parseScope splits a scope parameter and checks each token's syntax and,
// when the server has a list of known scopes, that the server knows it.
func (s *Server) parseScope(raw string) ([]string, *oauthError) {
	// Only the space separates scopes (RFC 6749 §3.3); any other white
	// space, ASCII or not, makes the token invalid below.
	var scopes []string
	for _, sc := range strings.Split(raw, " ") {
		if sc == "" || slices.Contains(scopes, sc) {
			continue
		}
		if !validScopeToken(sc) {
			return nil, invalidScope("the scope parameter holds an invalid character")
		}
		if s.known != nil && !s.known[sc] {
			return nil, invalidScope("unknown scope " + sc)
		}
		scopes = append(scopes, sc)
	}
	return scopes, nil
}

// intersect returns the members of want that are also in allowed, in the
// order of want.
func intersect(want, allowed []string) []string {
	out := []string{}
	for _, w := range want {
		if slices.Contains(allowed, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// grantScopes decides the scopes of a grant. allowed is what the user and
// client may have together. With no scope requested, all of allowed is
// granted (the "pre-defined default" of RFC 6749 §3.3). Otherwise the request
// is cut down to allowed; when nothing of it is left, the answer is
// invalid_scope rather than a token that can do nothing.
func grantScopes(requested, allowed []string) ([]string, *oauthError) {
	if len(requested) == 0 {
		return intersect(allowed, allowed), nil
	}
	granted := intersect(requested, allowed)
	if len(granted) == 0 {
		return nil, invalidScope("none of the requested scopes may be granted")
	}
	return granted, nil
}

// userScopes is what a user may be granted through client (nil for no
// client): the user's scopes, cut down to the client's when there is one.
func userScopes(u User, client *Client) []string {
	if client == nil {
		return u.Scopes
	}
	return intersect(u.Scopes, client.Scopes)
}
