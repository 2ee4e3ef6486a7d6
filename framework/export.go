package framework

import (
	"fmt"

	"go.uber.org/fx"
)

// OpenAPIDocument builds the app described by opts, the options an app gives
// fx.New with framework.Module among them, without starting it, and returns
// its OpenAPI document. Constructors run, as in fx.New; no server listens
// and no lifecycle hook runs. Use it to print or check the document in a
// build step.
func OpenAPIDocument(opts ...fx.Option) ([]byte, error) {
	var app *App
	all := append(append([]fx.Option{}, opts...), fx.Populate(&app), fx.NopLogger)
	if err := fx.New(all...).Err(); err != nil {
		return nil, fmt.Errorf("framework: build the app for its OpenAPI document: %w", err)
	}
	return app.OpenAPI(), nil
}
