package framework

import (
	"context"
	"reflect"
	"unsafe"
)

// A fast call skips reflect.Value.Call, whose argument and result handling
// dominates the cost of a small dependency. It applies to functions whose
// parameters are pointers or interfaces (a context.Context, say), at most
// maxFastWords machine words of them, and whose first result is a pointer,
// or for a handler a small value (see shape.go), with an optional error as
// the second result: the common shape of a dependency such as
// func(context.Context, *Store, *Token) (*User, error).
//
// Under Go's calling convention a pointer is passed and returned the same
// way whatever it points to, and an interface as its two words, type and
// data, so such a function can be called through a function type that says
// unsafe.Pointer for each word instead. The compiler checks nothing here;
// newFastCall and fastArgs guard every use, and the tests run every shape.
// The words travel as six separate arguments, so in registers.

// fastCall is a function prepared for a fast call.
type fastCall struct {
	code  unsafe.Pointer // the function value's closure pointer
	nw    int            // argument words
	err   bool           // the second result is an error
	sig   int            // 2*nw, plus 1 with err: the case of the generated calls
	elem  reflect.Type   // what the result points to; nil for a shaped call
	empty any            // a zero of the result type, boxed once
	shape *shape         // set for a shaped call (see shape.go)

	// A scheme call (see schemecall.go): the scheme is argument schemeArg,
	// with nb words before it.
	scheme    schemeCaller
	schemeArg int
	nb        int
	scoped    bool // the scopes follow the scheme
}

// noFastPaths turns fast calls and linear plans off, so that tests can
// compare the fast paths with the general one.
var noFastPaths bool

func pointerShaped(t reflect.Type) bool { return t.Kind() == reflect.Pointer }

// argWords returns how many words a parameter of type t takes in a fast
// call, or 0 when it cannot take part in one.
func argWords(t reflect.Type) int {
	switch t.Kind() {
	case reflect.Pointer:
		return 1
	case reflect.Interface:
		return 2
	}
	return 0
}

// newFastCall prepares fn for a fast call, or returns nil when its shape
// does not allow one. With shaped set, a result that is a small value
// rather than a pointer may take a shaped call.
func newFastCall(fn reflect.Value, shaped bool) *fastCall {
	t := fn.Type()
	if !fastResults(t) {
		return nil
	}
	nw, _, ok := fastWords(t, -1, false)
	if !ok || nw > maxFastWords {
		return nil
	}
	var sh *shape
	if !pointerShaped(t.Out(0)) {
		if !shaped || !shapedABI {
			return nil
		}
		if sh = newShape(t.Out(0)); sh == nil || sh.call == nil {
			return nil
		}
	}
	return newFastCallFor(fn, nw, sh)
}

// fastResults reports whether a function of type t returns what a fast
// call can take: one result, or a result and an error.
func fastResults(t reflect.Type) bool {
	if noFastPaths || t.IsVariadic() || t.NumOut() == 0 || t.NumOut() > 2 {
		return false
	}
	return t.NumOut() == 1 || t.Out(1) == errorType
}

// fastWords counts the argument words of a function of type t, leaving
// out parameter skip (a scheme) and, with scoped set, the one after it. nb
// is the count before skip. ok is false when a parameter cannot travel as
// words.
func fastWords(t reflect.Type, skip int, scoped bool) (nw, nb int, ok bool) {
	for i := 0; i < t.NumIn(); i++ {
		if i == skip {
			nb = nw
			continue
		}
		if scoped && i == skip+1 {
			continue
		}
		n := argWords(t.In(i))
		if n == 0 {
			return 0, 0, false
		}
		nw += n
	}
	return nw, nb, true
}

// newFastCallFor prepares fn, whose shape has been checked and whose
// arguments take nw words, for a fast call or, with sh set, a shaped call.
func newFastCallFor(fn reflect.Value, nw int, sh *shape) *fastCall {
	t := fn.Type()
	// A func value is a single pointer to its closure; copy that word.
	f := fn.Interface()
	code := (*[2]unsafe.Pointer)(unsafe.Pointer(&f))[1]
	fc := &fastCall{code: code, nw: nw, err: t.NumOut() == 2, shape: sh, schemeArg: -1,
		empty: reflect.Zero(t.Out(0)).Interface()}
	fc.sig = 2 * nw
	if fc.err {
		fc.sig++
	}
	if sh == nil {
		fc.elem = t.Out(0).Elem()
	}
	return fc
}

// fastArgs reports whether the compiled arguments of a call can be passed
// as words: a node's value only when it is a pointer, which its slot holds
// as such, and no security.SecurityScopes.
func fastArgs(args []arg, ft reflect.Type) bool {
	for i, a := range args {
		switch a.kind {
		case argSlot:
			if ft.In(i).Kind() != reflect.Pointer {
				return false
			}
		case argScopes:
			return false
		}
	}
	return true
}

// constWords returns the words of a singleton argument.
func constWords(v reflect.Value) [2]unsafe.Pointer {
	if v.Kind() == reflect.Pointer {
		return [2]unsafe.Pointer{v.UnsafePointer()}
	}
	// An interface: copy it into memory of its own and read its two words.
	tmp := reflect.New(v.Type())
	tmp.Elem().Set(v)
	return *(*[2]unsafe.Pointer)(tmp.UnsafePointer())
}

// ctxWords returns the two words of the request's context.
func ctxWords(ctx context.Context) (unsafe.Pointer, unsafe.Pointer) {
	w := *(*[2]unsafe.Pointer)(unsafe.Pointer(&ctx))
	return w[0], w[1]
}

// value wraps a result pointer as a reflect.Value of the result type.
func (f *fastCall) value(p unsafe.Pointer) reflect.Value { return reflect.NewAt(f.elem, p) }

// box returns the result as an interface value of the result type, without
// reflect: an interface holding a pointer type stores the pointer itself,
// and one holding a shaped result points to the value, which is what p is
// then; either way a copy of a boxed zero of that type with its data word
// replaced is the boxed result.
func (f *fastCall) box(p unsafe.Pointer) any {
	out := f.empty
	(*[2]unsafe.Pointer)(unsafe.Pointer(&out))[1] = p
	return out
}

// call calls the function with its argument words, in registers; those
// past f.nw are ignored. A shaped call returns a pointer to a value
// holding the result.
func (f *fastCall) call(a0, a1, a2, a3, a4, a5 unsafe.Pointer) (unsafe.Pointer, error) {
	if f.shape != nil {
		return f.shape.call(f, a0, a1, a2, a3, a4, a5)
	}
	return f.callWords(a0, a1, a2, a3, a4, a5)
}
