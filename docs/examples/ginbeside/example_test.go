//go:build !portcullis_reflect

// The route table says "fast paths are off" for every route in a build
// tagged portcullis_reflect, so the example runs only without the tag.

package ginbeside_test

import (
	"os"

	"github.com/portcullis/portcullis/docs/examples/ginbeside"
)

func ExamplePrintRoutes() {
	if err := ginbeside.PrintRoutes(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// GET /healthz -> gin handler (ginbeside/ginbeside.go:97): raw
	// GET /notes -> ginbeside.listNotes (ginbeside/ginbeside.go:93): ginbeside.listNotes(*ginbeside.Notes (singleton)); linear
	// POST /notes -> ginbeside.addNote (ginbeside/ginbeside.go:95): ginbeside.addNote(ginbeside.NewNote, *ginbeside.Notes (singleton)) via reflect resolvers: [0]ginbeside.NewNote (input); general: it takes request input ginbeside.NewNote
}
