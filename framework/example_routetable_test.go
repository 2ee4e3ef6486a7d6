//go:build !portcullis_reflect

// The route table says "fast paths are off" for every route in a build
// tagged portcullis_reflect, so this example runs only without the tag.

package framework_test

import (
	"context"
	"fmt"
	"os"

	"github.com/portcullis/portcullis/framework"
)

// RouteTable shows what the framework compiled for each route, without
// starting the app.
func ExampleRouteTable() {
	routes, err := framework.RouteTable(
		framework.Module(),
		framework.Routes(func(r *framework.Router) {
			r.GET("/ping", func(ctx context.Context) *Account { return &Account{Name: "pong"} })
			r.POST("/notes", func(n Note) Note { return n })
		}),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	for _, r := range routes {
		fmt.Println(r.Method, r.Path, r.Linear, r.General)
	}
	// Output:
	// POST /notes false it takes request input framework_test.Note
	// GET /ping true
}
