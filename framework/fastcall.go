package framework

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
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
	bare  bool           // a handler returning nothing or an error (see barecall.go)

	// A scheme call (see schemecall.go): the scheme is argument schemeArg,
	// with nb words before it.
	scheme    schemeCaller
	schemeArg int
	nb        int
	scoped    bool // the scopes follow the scheme
}

// noFastPaths turns fast calls and linear plans off: in builds tagged
// portcullis_reflect, and in tests that compare the fast paths with the
// general one.
var noFastPaths = !fastPathsBuilt

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
	fc, _ := prepareFastCall(fn, shaped)
	return fc
}

// prepareFastCall is newFastCall, saying why when fn cannot take a fast
// call; the route table shows the reason.
func prepareFastCall(fn reflect.Value, shaped bool) (*fastCall, string) {
	t := fn.Type()
	if why := fastResults(t); why != "" {
		return nil, why
	}
	nw, why := fastParams(t)
	if why != "" {
		return nil, why
	}
	var sh *shape
	if out := t.Out(0); !pointerShaped(out) && !(shaped && out.Kind() == reflect.Map) {
		// A map is one pointer word, returned and boxed as a pointer is,
		// so a handler returning one (a gin.H, say) takes the plain fast
		// call; a dependency's result must point to its value.
		switch {
		case !shaped:
			return nil, "its result " + out.String() + " is not a pointer"
		case !shapedABI:
			return nil, "its result " + out.String() + " is not a pointer, and other results take reflect on " + runtime.GOARCH
		}
		if sh = newShape(out); sh == nil || sh.call == nil {
			return nil, fmt.Sprintf("its result %s is neither a pointer nor a value of at most %d words without floats or arrays",
				out, maxShapeLeaves)
		}
	}
	return newFastCallFor(fn, nw, sh), ""
}

// fastParams counts the argument words of a function of type t for a
// fast call, or says why its parameters cannot take one.
func fastParams(t reflect.Type) (nw int, why string) {
	nw, _, why = fastWords(t, -1, false)
	if why == "" && nw > maxFastWords {
		why = fmt.Sprintf("its parameters take %d machine words, more than %d", nw, maxFastWords)
	}
	return nw, why
}

// funcCode returns the single word of a func value: its closure pointer.
func funcCode(fn reflect.Value) unsafe.Pointer {
	f := fn.Interface()
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&f))[1]
}

// fastResults says why a function of type t does not return what a fast
// call can take, one result or a result and an error, or returns "".
func fastResults(t reflect.Type) string {
	switch {
	case noFastPaths:
		return "fast paths are off"
	case t.IsVariadic():
		return "it is variadic"
	case t.NumOut() == 0:
		return "it returns nothing"
	case t.NumOut() > 2 || (t.NumOut() == 2 && t.Out(1) != errorType):
		return "its results are neither (T) nor (T, error)"
	}
	return ""
}

// fastWords counts the argument words of a function of type t, leaving
// out parameter skip (a scheme) and, with scoped set, the one after it. nb
// is the count before skip. why is set when a parameter cannot travel as
// words.
func fastWords(t reflect.Type, skip int, scoped bool) (nw, nb int, why string) {
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
			return 0, 0, paramWhy(t, i)
		}
		nw += n
	}
	return nw, nb, ""
}

// paramWhy says why parameter i of a function of type t keeps it from a
// fast call.
func paramWhy(t reflect.Type, i int) string {
	in := t.In(i)
	switch {
	case in == scopesType:
		return fmt.Sprintf("parameter %d is security.SecurityScopes, which a fast call takes only right after a scheme, in a dependency", i+1)
	case in.Implements(schemeType):
		return fmt.Sprintf("parameter %d (%s) is a scheme, which a fast call takes only in a dependency, one scheme of the security package", i+1, in)
	}
	return fmt.Sprintf("parameter %d (%s) is neither a pointer nor an interface", i+1, in)
}

// newFastCallFor prepares fn, whose shape has been checked and whose
// arguments take nw words, for a fast call or, with sh set, a shaped call.
func newFastCallFor(fn reflect.Value, nw int, sh *shape) *fastCall {
	t := fn.Type()
	// A func value is a single pointer to its closure; copy that word.
	fc := &fastCall{code: funcCode(fn), nw: nw, err: t.NumOut() == 2, shape: sh, schemeArg: -1,
		empty: reflect.Zero(t.Out(0)).Interface()}
	fc.sig = 2 * nw
	if fc.err {
		fc.sig++
	}
	if sh == nil && t.Out(0).Kind() == reflect.Pointer {
		fc.elem = t.Out(0).Elem()
	}
	return fc
}

// fastArgs says why the compiled arguments of a call cannot be passed as
// words, or returns "": a node's value can be only when it is a pointer,
// which its slot holds as such, and no security.SecurityScopes.
func fastArgs(args []arg, ft reflect.Type) string {
	for i, a := range args {
		switch a.kind {
		case argSlot:
			if ft.In(i).Kind() != reflect.Pointer {
				return paramWhy(ft, i)
			}
		case argScopes:
			return paramWhy(ft, i)
		}
	}
	return ""
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
	switch {
	case f.shape != nil:
		return f.shape.call(f, a0, a1, a2, a3, a4, a5)
	case f.bare:
		return nil, f.callBare(a0, a1, a2, a3, a4, a5)
	}
	return f.callWords(a0, a1, a2, a3, a4, a5)
}
