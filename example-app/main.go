// Command example-app is the reference API of Portcullis on an embedded
// SQLite store. It reads ADDR, DATABASE_URL, JWT_SECRET, DEMO_API_KEY and
// ISSUER_URL from the environment (see the config package) and serves until
// it receives SIGINT or SIGTERM.
//
// With -openapi it prints the OpenAPI document instead and exits, without
// listening and without touching DATABASE_URL: it builds the app on a
// throwaway database. With -routes it prints the route table the same way:
// each route's handler, site and compiled plan, and whether it runs as a
// linear plan.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/example-app/app"
	"github.com/portcullis/portcullis/example-app/config"
	"github.com/portcullis/portcullis/framework"
)

func main() {
	printDoc := flag.Bool("openapi", false, "print the OpenAPI document and exit")
	printRoutes := flag.Bool("routes", false, "print the route table with each route's plan and exit")
	flag.Parse()
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "example-app:", err)
		os.Exit(2)
	}
	if *printDoc || *printRoutes {
		if err := printBuilt(cfg, *printRoutes); err != nil {
			fmt.Fprintln(os.Stderr, "example-app:", err)
			os.Exit(1)
		}
		return
	}
	fx.New(app.Options(cfg)...).Run()
}

// printBuilt writes the OpenAPI document, or with routes set the route
// table, of the app built on a throwaway database to standard output.
func printBuilt(cfg config.Config, routes bool) error {
	dir, err := os.MkdirTemp("", "example-app-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.DatabaseURL = filepath.Join(dir, "example-app.db")
	if routes {
		table, err := framework.RouteTable(app.Options(cfg)...)
		if err != nil {
			return err
		}
		for _, r := range table {
			if _, err := fmt.Println(r); err != nil {
				return err
			}
		}
		return nil
	}
	doc, err := framework.OpenAPIDocument(app.Options(cfg)...)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(doc)
	return err
}
