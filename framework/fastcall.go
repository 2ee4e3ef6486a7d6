package framework

import (
	"reflect"
	"unsafe"
)

// A fast call skips reflect.Value.Call, whose argument and result handling
// dominates the cost of a small dependency. It applies to functions whose
// parameters and first result are all pointers, with an optional error as
// the second result, and at most three parameters: the common shape of a
// dependency such as func(*Store, *Token) (*User, error).
//
// Under Go's calling convention a pointer is passed and returned the same way
// whatever it points to, so such a function can be called through a function
// type that says unsafe.Pointer instead. The compiler checks nothing here;
// pointerShaped guards every use, and the tests run every shape.

type (
	fast0  func() unsafe.Pointer
	fast0e func() (unsafe.Pointer, error)
	fast1  func(unsafe.Pointer) unsafe.Pointer
	fast1e func(unsafe.Pointer) (unsafe.Pointer, error)
	fast2  func(unsafe.Pointer, unsafe.Pointer) unsafe.Pointer
	fast2e func(unsafe.Pointer, unsafe.Pointer) (unsafe.Pointer, error)
	fast3  func(unsafe.Pointer, unsafe.Pointer, unsafe.Pointer) unsafe.Pointer
	fast3e func(unsafe.Pointer, unsafe.Pointer, unsafe.Pointer) (unsafe.Pointer, error)
)

// fastCall is a function prepared for a fast call.
type fastCall struct {
	code  unsafe.Pointer // the function value's closure pointer
	arity int
	err   bool
	elem  reflect.Type // what the result points to; nil for a shaped call
	empty any          // a zero of the result type, boxed once
	shape *shape       // set for a shaped call (see shape.go)
}

// noFastPaths turns fast calls and linear plans off, so that tests can
// compare the fast paths with the general one.
var noFastPaths bool

func pointerShaped(t reflect.Type) bool { return t.Kind() == reflect.Pointer }

// newFastCall prepares fn for a fast call, or returns nil when its shape
// does not allow one. With shaped set, a result that is a small value
// rather than a pointer may take a shaped call.
func newFastCall(fn reflect.Value, shaped bool) *fastCall {
	t := fn.Type()
	if noFastPaths || t.NumIn() > 3 || t.IsVariadic() || t.NumOut() == 0 || t.NumOut() > 2 {
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
	if t.NumOut() == 2 && t.Out(1) != errorType {
		return nil
	}
	for i := 0; i < t.NumIn(); i++ {
		if !pointerShaped(t.In(i)) {
			return nil
		}
	}
	return newFastCallFor(fn, sh)
}

// newFastCallFor prepares fn, whose shape has been checked, for a fast call
// or, with sh set, a shaped call.
func newFastCallFor(fn reflect.Value, sh *shape) *fastCall {
	t := fn.Type()
	// A func value is a single pointer to its closure; copy that word.
	f := fn.Interface()
	code := (*[2]unsafe.Pointer)(unsafe.Pointer(&f))[1]
	fc := &fastCall{code: code, arity: t.NumIn(), err: t.NumOut() == 2, shape: sh,
		empty: reflect.Zero(t.Out(0)).Interface()}
	if sh == nil {
		fc.elem = t.Out(0).Elem()
	}
	return fc
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

// call calls the function with args, which are pointers. A shaped call
// returns a pointer to a new value holding the result.
func (f *fastCall) call(a0, a1, a2 unsafe.Pointer) (unsafe.Pointer, error) {
	if f.shape != nil {
		return f.shape.call(f, a0, a1, a2)
	}
	var (
		p   unsafe.Pointer
		err error
	)
	code := f.code
	switch {
	case f.arity == 0 && !f.err:
		p = (*(*fast0)(unsafe.Pointer(&code)))()
	case f.arity == 0:
		p, err = (*(*fast0e)(unsafe.Pointer(&code)))()
	case f.arity == 1 && !f.err:
		p = (*(*fast1)(unsafe.Pointer(&code)))(a0)
	case f.arity == 1:
		p, err = (*(*fast1e)(unsafe.Pointer(&code)))(a0)
	case f.arity == 2 && !f.err:
		p = (*(*fast2)(unsafe.Pointer(&code)))(a0, a1)
	case f.arity == 2:
		p, err = (*(*fast2e)(unsafe.Pointer(&code)))(a0, a1)
	case !f.err:
		p = (*(*fast3)(unsafe.Pointer(&code)))(a0, a1, a2)
	default:
		p, err = (*(*fast3e)(unsafe.Pointer(&code)))(a0, a1, a2)
	}
	return p, err
}
