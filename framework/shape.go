package framework

import (
	"reflect"
	"runtime"
	"strings"
	"unsafe"
)

// A shaped call is the fast call of a handler that returns a small value
// rather than a pointer: a struct of strings, integers, booleans, pointers,
// slices, maps and interfaces, or one such value on its own, alone or with
// an error. Its parameters are those of every fast call.
//
// On amd64 and arm64 Go returns such a value in integer registers, one per
// scalar part (a "leaf"), in field order: a string is two leaves, a slice
// three, an interface two, and a bool or an int32 takes a register of its
// own. A function that returns a struct of whole words with the same
// sequence of pointer and non-pointer words is returned the same way. The
// handler is called as such a function, so the garbage collector sees its
// pointers where they are, and the words are then written into a new value
// of the real type, each leaf at its offset and with its size.
//
// Results with a float, an array, or more than maxShapeLeaves leaves take
// reflect.Value.Call. shapedABI is checked once at start by calling a
// function of a known mixed result both ways; when it disagrees, every
// handler takes reflect.Value.Call.

//go:generate go run ./internal/shapegen

// shapedFunc calls f with its argument words and returns a pointer to a
// value holding its result.
type shapedFunc func(f *fastCall, a0, a1, a2, a3, a4, a5 unsafe.Pointer) (unsafe.Pointer, error)

// leaf is one register word of a result: where it goes in the value, how
// many bytes of it, and whether it is a pointer.
type leaf struct {
	off  uintptr
	size uintptr
	ptr  bool
}

// shape is the prepared shaped call of a result type.
type shape struct {
	typ    reflect.Type
	leaves []leaf
	call   shapedFunc
	small  bool // one integer leaf: values below 256 need no allocation
}

// smallWords holds the words 0 to 255. A result of one integer leaf with
// such a value points here instead of to a new allocation, as the runtime
// does when it boxes small integers; nothing writes through an interface's
// data pointer, so sharing is safe.
var smallWords = func() (w [256]uint64) {
	for i := range w {
		w[i] = uint64(i)
	}
	return w
}()

const wordSize = unsafe.Sizeof(uintptr(0))

// shapedABI reports whether shaped calls are used on this platform.
var shapedABI = (runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64") && wordSize == 8 && shapeCanary()

// newShape prepares a shaped call for results of type t, or returns nil.
func newShape(t reflect.Type) *shape {
	switch t.Kind() {
	case reflect.Interface, reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func:
		// An interface result is unwrapped by the JSON writer; pointer kinds
		// take the plain fast call or none.
		return nil
	}
	var leaves []leaf
	if !leavesOf(t, 0, &leaves) || len(leaves) == 0 || len(leaves) > maxShapeLeaves {
		return nil
	}
	if len(leaves) == 1 && leaves[0].ptr {
		// A struct holding one pointer is stored in an interface as the
		// pointer itself, which box does not handle.
		return nil
	}
	var key strings.Builder
	for _, l := range leaves {
		if l.ptr {
			key.WriteByte('P')
		} else {
			key.WriteByte('N')
		}
	}
	return &shape{typ: t, leaves: leaves, call: shapedCalls[key.String()],
		small: len(leaves) == 1 && !leaves[0].ptr && leaves[0].off == 0 && t.Size() == leaves[0].size}
}

// leavesOf appends the register leaves of a value of type t at offset off,
// and reports false for a type that does not travel in integer registers
// leaf by leaf.
func leavesOf(t reflect.Type, off uintptr, out *[]leaf) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		*out = append(*out, leaf{off: off, size: t.Size()})
	case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func:
		*out = append(*out, leaf{off: off, size: wordSize, ptr: true})
	case reflect.String:
		*out = append(*out, leaf{off: off, size: wordSize, ptr: true}, leaf{off: off + wordSize, size: wordSize})
	case reflect.Slice:
		*out = append(*out, leaf{off: off, size: wordSize, ptr: true},
			leaf{off: off + wordSize, size: wordSize}, leaf{off: off + 2*wordSize, size: wordSize})
	case reflect.Interface:
		*out = append(*out, leaf{off: off, size: wordSize, ptr: true}, leaf{off: off + wordSize, size: wordSize, ptr: true})
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !leavesOf(f.Type, off+f.Offset, out) {
				return false
			}
		}
	default:
		// Floats travel in floating-point registers; arrays of more than
		// one element are passed in memory.
		return false
	}
	return true
}

// finish returns a pointer to a value of the shape's type holding the
// result words at src: a shared one for a small integer, else a new one.
func (sh *shape) finish(src unsafe.Pointer) unsafe.Pointer {
	if sh.small {
		w := *(*uint64)(src)
		if sz := sh.leaves[0].size; sz < 8 {
			w &= 1<<(8*sz) - 1
		}
		if w < uint64(len(smallWords)) {
			return unsafe.Pointer(&smallWords[w])
		}
	}
	dst := reflect.New(sh.typ).UnsafePointer()
	scatter(src, sh.leaves, dst)
	return dst
}

// scatter writes the words at src, one per leaf, into the value at dst.
// Pointer words are stored as pointers, so the store has its write barrier;
// the others keep their low size bytes, which on these little-endian
// platforms come first.
func scatter(src unsafe.Pointer, leaves []leaf, dst unsafe.Pointer) {
	for i, l := range leaves {
		w := unsafe.Add(src, uintptr(i)*wordSize)
		d := unsafe.Add(dst, l.off)
		switch {
		case l.ptr:
			*(*unsafe.Pointer)(d) = *(*unsafe.Pointer)(w)
		case l.size == 8:
			*(*uint64)(d) = *(*uint64)(w)
		case l.size == 4:
			*(*uint32)(d) = *(*uint32)(w)
		case l.size == 2:
			*(*uint16)(d) = *(*uint16)(w)
		default:
			*(*uint8)(d) = *(*uint8)(w)
		}
	}
}

// canaryResult mixes every kind of leaf: sub-word integers, a bool, a
// string, a pointer, a slice and an interface would be too many, so the
// canary checks the ones whose placement differs most.
type canaryResult struct {
	A int8
	S string
	P *int
	B bool
	N int32
}

//go:noinline
func shapeCanaryFunc(x *int) (canaryResult, error) {
	return canaryResult{A: -3, S: "canary", P: x, B: true, N: -70000}, nil
}

// shapeCanary calls shapeCanaryFunc through its shape and reports whether
// the result arrives intact.
func shapeCanary() bool {
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		return false
	}
	x := new(int)
	fn := reflect.ValueOf(shapeCanaryFunc)
	sh := newShape(fn.Type().Out(0))
	if sh == nil || sh.call == nil {
		return false
	}
	fc := newFastCallFor(fn, 1, sh)
	p, err := fc.call(unsafe.Pointer(x), nil, nil, nil, nil, nil)
	if err != nil || p == nil {
		return false
	}
	got := *(*canaryResult)(p)
	want, _ := shapeCanaryFunc(x)
	return got == want
}
