// Package overrides is the example of the testing guide. The app is the one
// of the current-user guide; the guide's snippets are in the test file.
package overrides

import (
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/docs/examples/currentuser"
	"github.com/portcullis/portcullis/framework"
)

// App is the app under test.
func App(secret []byte, opts ...framework.Option) fx.Option {
	return currentuser.App(secret, opts...)
}
