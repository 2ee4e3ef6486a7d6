package oas

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// inputSuffix marks the request variant of a type whose request and
// response schemas differ. Go type names cannot contain "-", so the suffix
// never collides with another type's name.
const inputSuffix = "-Input"

var (
	// importPath matches the package path in front of a type argument, as
	// in Page[github.com/acme/app/store.Item].
	importPath = regexp.MustCompile(`[^\[\],\s*]*/`)
	// invalidName matches what a component name may not contain.
	invalidName = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)
	// validName is the rule for component names in OpenAPI 3.0.
	validName = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
)

// baseName turns a Go type name into a component name. Generic
// instantiations keep their type arguments with short package names:
// Page[github.com/acme/app/store.Item] becomes Page_store.Item.
func baseName(t reflect.Type) string {
	n := importPath.ReplaceAllString(t.Name(), "")
	n = strings.NewReplacer("[", "_", ",", "_", "]", "_").Replace(n)
	n = invalidName.ReplaceAllString(n, "_")
	for strings.Contains(n, "__") {
		n = strings.ReplaceAll(n, "__", "_")
	}
	return strings.Trim(n, "_")
}

// qualifier turns the last k elements of t's package path into a CamelCase
// prefix: ("github.com/acme/store", 1) gives "Store", 2 gives "AcmeStore".
func qualifier(t reflect.Type, k int) string {
	elems := strings.Split(t.PkgPath(), "/")
	if k > len(elems) {
		k = len(elems)
	}
	var b strings.Builder
	for _, e := range elems[len(elems)-k:] {
		for _, w := range invalidName.Split(strings.NewReplacer(".", " ", "-", " ", "_", " ").Replace(e), -1) {
			for _, part := range strings.Fields(w) {
				r := []rune(part)
				r[0] = unicode.ToUpper(r[0])
				b.WriteString(string(r))
			}
		}
	}
	return b.String()
}

// componentNames gives every type a unique component name. A type keeps
// its Go name unless another type, or a reserved name, has it too; then
// every type in the clash is prefixed with the last element of its package
// path, then with more elements, until the names differ. Types that still
// clash, such as two types declared inside functions of one package, get
// a numeric suffix in the order given. The result depends only on the set
// of types and that order, never on map iteration.
func componentNames(types []reflect.Type, reserved map[string]bool) map[reflect.Type]string {
	level := map[reflect.Type]int{}
	nameAt := func(t reflect.Type) string {
		if level[t] == 0 {
			return baseName(t)
		}
		return qualifier(t, level[t]) + baseName(t)
	}
	for {
		groups := map[string][]reflect.Type{}
		for _, t := range types {
			n := nameAt(t)
			groups[n] = append(groups[n], t)
		}
		changed := false
		for n, ts := range groups {
			if len(ts) < 2 && !reserved[n] {
				continue
			}
			for _, t := range ts {
				// A longer package prefix only helps against a type from
				// another package, or against a reserved name.
				helps := reserved[n] || slices.ContainsFunc(ts, func(o reflect.Type) bool {
					return o.PkgPath() != t.PkgPath()
				})
				if helps && t.PkgPath() != "" && level[t] < strings.Count(t.PkgPath(), "/")+1 {
					level[t]++
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
	names := make(map[reflect.Type]string, len(types))
	taken := map[string]bool{}
	for n := range reserved {
		taken[n] = true
	}
	for _, t := range types {
		base := nameAt(t)
		if base == "" {
			base = "Type"
		}
		n := base
		for i := 2; taken[n]; i++ {
			n = fmt.Sprintf("%s_%d", base, i)
		}
		taken[n] = true
		names[t] = n
	}
	return names
}
