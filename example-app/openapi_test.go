package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/example-app/app"
	"github.com/portcullis/portcullis/example-app/config"
	"github.com/portcullis/portcullis/framework"
)

var update = flag.Bool("update", false, "rewrite docs/openapi.json from the app")

// goldenPath is the committed copy of the document, relative to this package.
const goldenPath = "../docs/openapi.json"

// buildDocument compiles the app without starting it. The issuer URL and
// address are fixed so the document does not depend on the machine.
func buildDocument(t *testing.T) []byte {
	t.Helper()
	cfg := config.Config{
		Addr:        "127.0.0.1:8080",
		DatabaseURL: filepath.Join(t.TempDir(), "golden.db"),
		DemoAPIKey:  config.DefaultDemoAPIKey,
		IssuerURL:   "http://127.0.0.1:8080",
	}
	var a *framework.App
	fxApp := fx.New(append(app.Options(cfg), fx.Populate(&a), fx.NopLogger)...)
	if err := fxApp.Err(); err != nil {
		t.Fatalf("fx.New: %v", err)
	}
	// Nothing was started, so fx runs no stop hook, and the store its
	// constructor opened stays open until the test binary exits; the
	// temporary directory is removed all the same.
	return a.OpenAPI()
}

func TestOpenAPIGolden(t *testing.T) {
	doc := buildDocument(t)
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, doc, "", "  "); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	pretty.WriteByte('\n')
	if *update {
		if err := os.WriteFile(goldenPath, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run `make openapi` to create it)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Fatalf("the document differs from %s; if the change is intended, run `make openapi`", goldenPath)
	}

	t.Run("kin-openapi validates", func(t *testing.T) {
		loaded, err := openapi3.NewLoader().LoadFromData(doc)
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		if err := loaded.Validate(context.Background()); err != nil {
			t.Fatalf("validate: %v", err)
		}
		if loaded.OpenAPI != "3.0.3" {
			t.Fatalf("openapi = %q, want 3.0.3", loaded.OpenAPI)
		}
	})

	t.Run("redocly lint", func(t *testing.T) {
		bin, err := filepath.Abs("../.ci/node/node_modules/.bin/redocly")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(bin); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("redocly is not installed at %s (the CI script installs @redocly/cli there)", bin)
			}
			t.Skipf("redocly is not installed at %s; install @redocly/cli with npm --prefix .ci/node", bin)
		}
		cmd := exec.Command(bin, "lint", "--format=json", "--config=testdata/redocly.yaml", goldenPath)
		out, err := cmd.Output()
		var report struct {
			Totals struct {
				Errors   int `json:"errors"`
				Warnings int `json:"warnings"`
			} `json:"totals"`
		}
		if jerr := json.Unmarshal(out, &report); jerr != nil {
			t.Fatalf("redocly lint: %v; output:\n%s", err, out)
		}
		if report.Totals.Errors != 0 || report.Totals.Warnings != 0 {
			t.Fatalf("redocly lint: %d errors, %d warnings:\n%s", report.Totals.Errors, report.Totals.Warnings, out)
		}
	})
}
