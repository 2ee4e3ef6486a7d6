package docsui

import "errors"

// Sentinel errors returned by Mount.
var (
	// ErrInvalidConfig means the prefix or a Config field cannot be used.
	ErrInvalidConfig = errors.New("docsui: invalid config")
	// ErrInvalidDocument means the document is empty or not JSON.
	ErrInvalidDocument = errors.New("docsui: invalid document")
	// ErrInstanceTaken means swag's registry already holds a document under
	// the instance name that this package did not register.
	ErrInstanceTaken = errors.New("docsui: swag instance name taken")
)
