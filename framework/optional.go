package framework

import (
	"reflect"
)

// Optional wraps a dependency or a security scheme whose absence is allowed.
// When the request carries no credential for it (the refusal wraps
// security.ErrNoCredentials), the handler receives an empty Optional instead
// of the request being refused. A credential that is present but invalid is
// still refused: it is never treated as anonymous. In the OpenAPI document,
// the route's security gains the empty alternative {}.
type Optional[T any] struct {
	value T
	ok    bool
}

// Get returns the value and whether it is present.
func (o Optional[T]) Get() (T, bool) { return o.value, o.ok }

// Value returns the value, or T's zero value when absent.
func (o Optional[T]) Value() T { return o.value }

// Present reports whether the value is present.
func (o Optional[T]) Present() bool { return o.ok }

func (o *Optional[T]) set(v any)               { o.value, o.ok = v.(T), true }
func (Optional[T]) wrapped() []reflect.Type    { return []reflect.Type{reflect.TypeFor[T]()} }
func (Optional[T]) combinator() combinatorKind { return kindOptional }

// AnyOf2 accepts whichever of two alternatives is present and valid, trying A
// first (OR). When neither is, the request is refused with the challenges of
// both. In the OpenAPI document the two are alternative security
// requirements.
type AnyOf2[A, B any] struct {
	a     A
	b     B
	which int
}

// First returns A and whether it was the alternative that succeeded.
func (x AnyOf2[A, B]) First() (A, bool) { return x.a, x.which == 1 }

// Second returns B and whether it was the alternative that succeeded.
func (x AnyOf2[A, B]) Second() (B, bool) { return x.b, x.which == 2 }

func (x *AnyOf2[A, B]) setAlt(i int, v any) {
	x.which = i + 1
	switch i {
	case 0:
		x.a = v.(A)
	case 1:
		x.b = v.(B)
	}
}
func (AnyOf2[A, B]) wrapped() []reflect.Type {
	return []reflect.Type{reflect.TypeFor[A](), reflect.TypeFor[B]()}
}
func (AnyOf2[A, B]) combinator() combinatorKind { return kindAnyOf }

// AnyOf3 is AnyOf2 with three alternatives, tried in order.
type AnyOf3[A, B, C any] struct {
	a     A
	b     B
	c     C
	which int
}

// First returns A and whether it was the alternative that succeeded.
func (x AnyOf3[A, B, C]) First() (A, bool) { return x.a, x.which == 1 }

// Second returns B and whether it was the alternative that succeeded.
func (x AnyOf3[A, B, C]) Second() (B, bool) { return x.b, x.which == 2 }

// Third returns C and whether it was the alternative that succeeded.
func (x AnyOf3[A, B, C]) Third() (C, bool) { return x.c, x.which == 3 }

func (x *AnyOf3[A, B, C]) setAlt(i int, v any) {
	x.which = i + 1
	switch i {
	case 0:
		x.a = v.(A)
	case 1:
		x.b = v.(B)
	case 2:
		x.c = v.(C)
	}
}
func (AnyOf3[A, B, C]) wrapped() []reflect.Type {
	return []reflect.Type{reflect.TypeFor[A](), reflect.TypeFor[B](), reflect.TypeFor[C]()}
}
func (AnyOf3[A, B, C]) combinator() combinatorKind { return kindAnyOf }

type combinatorKind int

const (
	kindOptional combinatorKind = iota + 1
	kindAnyOf
)

// combinator is implemented by Optional and the AnyOf types.
type combinator interface {
	wrapped() []reflect.Type
	combinator() combinatorKind
}

type optionalSetter interface{ set(any) }
type altSetter interface{ setAlt(int, any) }

var combinatorType = reflect.TypeFor[combinator]()

// wrappedTypes returns the alternatives of a combinator type, or nil.
func wrappedTypes(t reflect.Type) []reflect.Type {
	if !t.Implements(combinatorType) {
		return nil
	}
	return reflect.Zero(t).Interface().(combinator).wrapped()
}
