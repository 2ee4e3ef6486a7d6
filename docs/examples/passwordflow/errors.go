package passwordflow

import "errors"

// ErrNoUser means the store has no user of that name.
var ErrNoUser = errors.New("passwordflow: no such user")
