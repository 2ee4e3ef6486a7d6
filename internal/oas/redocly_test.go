package oas

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// redocly returns the Redocly CLI that CI installs, or the one named by the
// REDOCLY environment variable; the test is skipped when there is none.
func redocly(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("REDOCLY"), filepath.Join("..", "..", ".ci", "node", "node_modules", ".bin", "redocly")} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			abs, err := filepath.Abs(p)
			if err != nil {
				t.Fatal(err)
			}
			return abs
		}
	}
	t.Skip("no Redocly CLI: set REDOCLY or run .ci/run, which installs it")
	return ""
}

// TestRedoclyRecommended lints the golden documents with Redocly's
// recommended rules. The sample, which has a license and tag descriptions
// like a real app, must have no problem at all; the others leave out the
// license on purpose, so info-license is the one warning they may have.
func TestRedoclyRecommended(t *testing.T) {
	bin := redocly(t)
	files, err := filepath.Glob(filepath.Join("testdata", "*.golden.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			cmd := exec.Command(bin, "lint", "--extends=recommended", "--format=json", f)
			cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true")
			out, err := cmd.Output()
			if err != nil {
				t.Logf("redocly exited with %v", err)
			}
			var report struct {
				Totals   struct{ Errors, Warnings int }
				Problems []struct {
					RuleID, Severity, Message string
				}
			}
			if err := json.Unmarshal(out, &report); err != nil {
				t.Fatalf("reading Redocly's report: %v\n%s", err, out)
			}
			for _, p := range report.Problems {
				if filepath.Base(f) != "sample.golden.json" && p.RuleID == "info-license" {
					continue
				}
				t.Errorf("%s %s: %s", p.Severity, p.RuleID, p.Message)
			}
		})
	}
}
