package security

import (
	"slices"
	"strings"
)

// SecurityScopes holds the scopes a route requires: the union of the scopes
// declared on the route, its groups and the dependencies it reaches. A
// dependency declares a parameter of this type to read them. The framework
// computes the value once, when the route is registered.
type SecurityScopes struct {
	// Scopes are sorted and free of duplicates.
	Scopes []string
}

// NewSecurityScopes returns the sorted union of the given scope lists.
func NewSecurityScopes(lists ...[]string) SecurityScopes {
	var all []string
	for _, l := range lists {
		all = append(all, l...)
	}
	slices.Sort(all)
	return SecurityScopes{Scopes: slices.Compact(all)}
}

// String returns the scopes separated by spaces, as the scope parameter of
// RFC 6749 and the scope attribute of an RFC 6750 challenge write them.
func (s SecurityScopes) String() string { return strings.Join(s.Scopes, " ") }

// Missing returns the required scopes that granted does not contain.
func (s SecurityScopes) Missing(granted []string) []string {
	var missing []string
	for _, want := range s.Scopes {
		if !slices.Contains(granted, want) {
			missing = append(missing, want)
		}
	}
	return missing
}

// ParseScope splits an RFC 6749 scope string on spaces, dropping empty parts
// and duplicates while keeping the order.
func ParseScope(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}
