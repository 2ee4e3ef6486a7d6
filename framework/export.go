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
	app, err := buildOnly("its OpenAPI document", opts)
	if err != nil {
		return nil, err
	}
	return app.OpenAPI(), nil
}

// buildOnly runs fx.New on opts without starting the app and returns the
// compiled *App; purpose says what the app is built for, in the error.
func buildOnly(purpose string, opts []fx.Option) (*App, error) {
	var app *App
	all := append(append([]fx.Option{}, opts...), fx.Populate(&app), fx.NopLogger)
	if err := fx.New(all...).Err(); err != nil {
		return nil, fmt.Errorf("framework: build the app for %s: %w", purpose, err)
	}
	return app, nil
}

// RouteTable builds the app described by opts as [OpenAPIDocument] does,
// without starting it, and returns its routes with their compiled plans:
// what each parameter resolves to, which calls go through reflect, and
// whether the route runs as a linear plan. Print it to see why a route is
// slower than its neighbours.
func RouteTable(opts ...fx.Option) ([]RouteInfo, error) {
	app, err := buildOnly("its route table", opts)
	if err != nil {
		return nil, err
	}
	return app.Routes(), nil
}
