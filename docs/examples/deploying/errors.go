package deploying

import "errors"

// ErrNoSecret means the signing secret is missing or too short.
var ErrNoSecret = errors.New("deploying: no usable signing secret")
