// Command example-app is the reference API of Portcullis on an embedded
// SQLite store. It reads ADDR, DATABASE_URL, JWT_SECRET, DEMO_API_KEY and
// ISSUER_URL from the environment (see the config package) and serves until
// it receives SIGINT or SIGTERM.
//
// With -openapi it prints the OpenAPI document instead and exits, without
// listening and without touching DATABASE_URL: it builds the app on a
// throwaway database.
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
	flag.Parse()
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "example-app:", err)
		os.Exit(2)
	}
	if *printDoc {
		if err := printOpenAPI(cfg); err != nil {
			fmt.Fprintln(os.Stderr, "example-app:", err)
			os.Exit(1)
		}
		return
	}
	fx.New(app.Options(cfg)...).Run()
}

// printOpenAPI writes the document to standard output.
func printOpenAPI(cfg config.Config) error {
	dir, err := os.MkdirTemp("", "example-app-openapi-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.DatabaseURL = filepath.Join(dir, "openapi.db")
	doc, err := framework.OpenAPIDocument(app.Options(cfg)...)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(doc)
	return err
}
