package oas

import "errors"

// Sentinel errors. Every error the package returns wraps one of them, so a
// caller can tell the category with errors.Is while the message names the
// operation, the type and the field at fault.
var (
	// ErrInvalidOperation means an Operation's method, path, status,
	// problems, tags or security requirement cannot be documented.
	ErrInvalidOperation = errors.New("oas: invalid operation")
	// ErrDuplicateOperation means the method and path were already added.
	ErrDuplicateOperation = errors.New("oas: duplicate operation")
	// ErrConflictingPath means two paths differ only in the names of their
	// parameters, which OpenAPI treats as the same path.
	ErrConflictingPath = errors.New("oas: conflicting paths")
	// ErrDuplicateOperationID means two operations share an operationId.
	ErrDuplicateOperationID = errors.New("oas: duplicate operationId")
	// ErrUnsupportedType means an input, body or result type has a shape that
	// neither gin's binding nor encoding/json can carry, such as a channel,
	// a function or a map with struct keys.
	ErrUnsupportedType = errors.New("oas: unsupported type")
	// ErrInvalidTag means a struct tag could not be read: a binding rule
	// with a bad number, an example or default of the wrong type, or a
	// path parameter that the route does not have.
	ErrInvalidTag = errors.New("oas: invalid struct tag")
	// ErrInvalidScheme means a security scheme has a bad name or definition.
	ErrInvalidScheme = errors.New("oas: invalid security scheme")
	// ErrConflictingScheme means a scheme name was added twice with two
	// different definitions.
	ErrConflictingScheme = errors.New("oas: conflicting security scheme")
	// ErrUnknownScheme means a security requirement names a scheme that was
	// never added, or an OAuth2 scope the scheme does not declare.
	ErrUnknownScheme = errors.New("oas: unknown security scheme")
	// ErrInvalidDocument means the built document failed kin-openapi's
	// validation. The validation error is wrapped as well.
	ErrInvalidDocument = errors.New("oas: invalid document")
)
