// Command example-app is the reference API of Portcullis on an embedded
// SQLite store. It reads ADDR, DATABASE_URL, JWT_SECRET, DEMO_API_KEY and
// ISSUER_URL from the environment (see the config package) and serves until
// it receives SIGINT or SIGTERM.
package main

import (
	"fmt"
	"os"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/example-app/app"
	"github.com/portcullis/portcullis/example-app/config"
)

func main() {
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "example-app:", err)
		os.Exit(2)
	}
	fx.New(app.Options(cfg)...).Run()
}
