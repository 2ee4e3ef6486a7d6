package framework

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/portcullis/portcullis/security"
)

// A scheme call is the fast call of a dependency that takes a security
// scheme's value, such as func(context.Context, security.APIKeyHeader,
// *Store) (*User, error), the usual first step after a scheme. The scheme
// is a struct passed by value, so it cannot travel as pointer words; but
// its type is one of the security package's, known when the framework is
// compiled, so a generated generic function per scheme type calls the
// dependency with the value in its place and the compiler lays it out. The
// other parameters follow the rules of every fast call, up to
// maxSchemeWords words of them, and the result is a pointer. The route's
// security.SecurityScopes may follow the scheme, as in token.BearerClaims:
// it is a value fixed per route, passed the same way.

// schemeCaller calls f with the scheme value at s, the route's scopes at sc
// when f takes them, and its other argument words; see callScheme.
type schemeCaller func(f *fastCall, s, sc, a0, a1, a2, a3, a4, a5 unsafe.Pointer) (unsafe.Pointer, error)

// schemeTab returns the type word of a security.Scheme holding a t, or nil
// when no scheme call takes a t.
func schemeTab(t reflect.Type) unsafe.Pointer {
	if _, ok := schemeCallers[t]; !ok || t.Size() <= wordSize {
		return nil
	}
	var s security.Scheme
	reflect.ValueOf(&s).Elem().Set(reflect.Zero(t))
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&s))[0]
}

// schemeData returns a pointer to the value of type e.typ that got holds:
// its data word when got holds exactly that type, as the security
// package's schemes return, or else a copy of what wrap makes of it.
func schemeData(e *schemeEntry, got security.Scheme) unsafe.Pointer {
	w := (*[2]unsafe.Pointer)(unsafe.Pointer(&got))
	if w[0] == e.tab {
		return w[1]
	}
	tmp := reflect.New(e.typ)
	tmp.Elem().Set(e.wrap(got))
	return tmp.UnsafePointer()
}

// schemeArg returns the index of the one argument of a call that is a
// scheme a scheme call can pass, or -1.
func (c *compiler) schemeArg(args []arg, ft reflect.Type) int {
	at := -1
	for i, a := range args {
		if a.kind != argSlot {
			continue
		}
		n := c.p.nodes[a.slot]
		if n.kind != nodeScheme || n.scheme.tab == nil || ft.In(i) != n.scheme.typ {
			continue
		}
		if at >= 0 {
			return -1 // two schemes: reflect
		}
		at = i
	}
	return at
}

// newSchemeFastCall prepares fn, whose parameter at is a scheme, for a
// scheme call, or returns nil and why when its other parameters or its
// result do not allow one.
func newSchemeFastCall(fn reflect.Value, at int) (*fastCall, string) {
	t := fn.Type()
	if why := fastResults(t); why != "" {
		return nil, why
	}
	if !pointerShaped(t.Out(0)) {
		return nil, "its result " + t.Out(0).String() + " is not a pointer"
	}
	scoped := at+1 < t.NumIn() && t.In(at+1) == scopesType
	nw, nb, why := fastWords(t, at, scoped)
	if why != "" {
		return nil, why
	}
	if nw > maxSchemeWords {
		return nil, fmt.Sprintf("its parameters besides the scheme take %d machine words, more than %d", nw, maxSchemeWords)
	}
	fc := newFastCallFor(fn, nw, nil)
	callers := schemeCallers[t.In(at)]
	fc.nb, fc.scheme, fc.schemeArg = nb, callers[0], at
	if scoped {
		fc.scheme, fc.scoped = callers[1], true
	}
	return fc, ""
}
