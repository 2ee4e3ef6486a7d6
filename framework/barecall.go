package framework

import (
	"reflect"
	"unsafe"
)

// A bare call is the fast call of a handler that writes no JSON answer: it
// returns an error or nothing, as a DELETE handler does. Its parameters
// follow the rules of every fast call; its error is returned as the error
// it is, so only the argument words are reinterpreted.

// prepareBareCall prepares fn, which returns nothing or an error, for a bare
// call, or returns nil and why it cannot take one.
func prepareBareCall(fn reflect.Value) (*fastCall, string) {
	t := fn.Type()
	if noFastPaths {
		return nil, "fast paths are off"
	}
	nw, why := fastParams(t)
	if why != "" {
		return nil, why
	}
	// sig -1 matches none of the cases that call pointer-returning
	// functions directly, so every call goes through fastCall.call.
	return &fastCall{code: funcCode(fn), nw: nw, err: t.NumOut() == 1, bare: true, sig: -1, schemeArg: -1}, ""
}

// callBare calls a bare call's function with its argument words.
func (f *fastCall) callBare(a0, a1, a2, a3, a4, a5 unsafe.Pointer) error {
	code := f.code
	fp := unsafe.Pointer(&code)
	type p = unsafe.Pointer
	if !f.err {
		switch f.nw {
		case 0:
			(*(*func())(fp))()
		case 1:
			(*(*func(p))(fp))(a0)
		case 2:
			(*(*func(p, p))(fp))(a0, a1)
		case 3:
			(*(*func(p, p, p))(fp))(a0, a1, a2)
		case 4:
			(*(*func(p, p, p, p))(fp))(a0, a1, a2, a3)
		case 5:
			(*(*func(p, p, p, p, p))(fp))(a0, a1, a2, a3, a4)
		default:
			(*(*func(p, p, p, p, p, p))(fp))(a0, a1, a2, a3, a4, a5)
		}
		return nil
	}
	switch f.nw {
	case 0:
		return (*(*func() error)(fp))()
	case 1:
		return (*(*func(p) error)(fp))(a0)
	case 2:
		return (*(*func(p, p) error)(fp))(a0, a1)
	case 3:
		return (*(*func(p, p, p) error)(fp))(a0, a1, a2)
	case 4:
		return (*(*func(p, p, p, p) error)(fp))(a0, a1, a2, a3)
	case 5:
		return (*(*func(p, p, p, p, p) error)(fp))(a0, a1, a2, a3, a4)
	default:
		return (*(*func(p, p, p, p, p, p) error)(fp))(a0, a1, a2, a3, a4, a5)
	}
}
