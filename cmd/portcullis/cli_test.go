package main

import (
	"bytes"
	"errors"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the framework checkout this package lives in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// runCLI runs the command with args and returns its exit status and output.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// listDir returns the names under dir, relative and slash-separated, or nil
// when dir does not exist.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestParseNew(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    newOptions
		wantErr error
		errText string
	}{
		{
			name: "flags after DIR",
			args: []string{"api", "--module", "example.com/api", "--auth", "apikey", "--store", "memory"},
			want: newOptions{Dir: "api", Module: "example.com/api", Auth: "apikey", Store: "memory"},
		},
		{
			name: "flags before DIR",
			args: []string{"-module=example.com/api", "--force", "api"},
			want: newOptions{Dir: "api", Module: "example.com/api", Auth: "oauth2-password", Store: "sqlite", Force: true},
		},
		{
			name: "flags on both sides",
			args: []string{"--auth", "basic", "api", "--module", "example.com/api", "--framework-dir", "/fw"},
			want: newOptions{Dir: "api", Module: "example.com/api", Auth: "basic", Store: "sqlite", FrameworkDir: "/fw"},
		},
		{name: "no DIR", args: []string{"--module", "example.com/api"}, wantErr: ErrUsage, errText: "directory is missing"},
		{name: "two DIRs", args: []string{"a", "b", "--module", "example.com/api"}, wantErr: ErrUsage, errText: "one directory expected"},
		{name: "no module", args: []string{"api"}, wantErr: ErrUsage, errText: "--module is required"},
		{name: "bad module", args: []string{"api", "--module", "example.com/my api"}, wantErr: ErrModulePath, errText: "has the character ' '"},
		{name: "bad auth", args: []string{"api", "--module", "x.com/a", "--auth", "oauth3"}, wantErr: ErrUsage, errText: `--auth "oauth3" is not one of`},
		{name: "bad store", args: []string{"api", "--module", "x.com/a", "--store", "postgres"}, wantErr: ErrUsage, errText: `--store "postgres" is not one of`},
		{name: "unknown flag", args: []string{"api", "--module", "x.com/a", "--colour"}, wantErr: ErrUsage, errText: "flag provided but not defined: -colour"},
		{name: "flag without value", args: []string{"api", "--module"}, wantErr: ErrUsage, errText: "flag needs an argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			got, err := parseNew(tt.args, &out)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("parseNew(%q) error = %v, want %v", tt.args, err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.errText) {
					t.Errorf("error %q does not contain %q", err, tt.errText)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseNew(%q): %v", tt.args, err)
			}
			if *got != tt.want {
				t.Errorf("parseNew(%q) = %+v, want %+v", tt.args, *got, tt.want)
			}
		})
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{name: "no command", args: nil, wantCode: 2, wantStderr: "no command given"},
		{name: "unknown command", args: []string{"build"}, wantCode: 2, wantStderr: `unknown command "build"`},
		{name: "unknown help topic", args: []string{"help", "build"}, wantCode: 2, wantStderr: `unknown help topic "build"`},
		{name: "bad module path", args: []string{"new", filepath.Join(dir, "a"), "--module", "a//b"}, wantCode: 2, wantStderr: "double slash"},
		{name: "bad auth", args: []string{"new", filepath.Join(dir, "a"), "--module", "x.com/a", "--auth", "x"}, wantCode: 2, wantStderr: "--auth"},
		{name: "missing framework", args: []string{"new", filepath.Join(dir, "a"), "--module", "x.com/a", "--framework-dir", dir}, wantCode: 1, wantStderr: "framework checkout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit status %d, want %d; stderr: %s", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.wantStderr)
			}
		})
	}
	if names := listDir(t, dir); len(names) != 0 {
		t.Errorf("failed runs wrote %v", names)
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{name: "help", args: []string{"help"}, want: []string{"Usage:", "portcullis <command>", "new ", "help "}},
		{name: "dash h", args: []string{"-h"}, want: []string{"Usage:", "portcullis <command>"}},
		{name: "help new", args: []string{"help", "new"}, want: []string{"portcullis new DIR --module PATH", "-auth", "oauth2-password, apikey, basic, none", "-store", "sqlite, memory", "-force", "-framework-dir", "-module"}},
		{name: "new -h", args: []string{"new", "-h"}, want: []string{"portcullis new DIR --module PATH", "-auth", "-store", "-force", "-framework-dir"}},
		{name: "new --help after DIR", args: []string{"new", "api", "--help"}, want: []string{"portcullis new DIR --module PATH"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tt.args...)
			if code != 0 {
				t.Fatalf("exit status %d, want 0; stderr: %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("help does not mention %q:\n%s", w, stdout)
				}
			}
		})
	}
}

func TestNewWritesProject(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "api")
	code, stdout, stderr := runCLI("new", dir, "--module", "example.com/api", "--auth", "basic", "--store", "memory")
	if code != 0 {
		t.Fatalf("exit status %d; stderr: %s", code, stderr)
	}
	want := []string{".gitignore", "Makefile", "README.md", "app.go", "app_test.go", "auth.go", "config.go",
		"go.mod", "go.sum", "handlers.go", "main.go", "store", "store/store.go", "store/store_test.go"}
	if got := listDir(t, dir); !slices.Equal(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	for _, f := range want {
		if f != "store" && !strings.Contains(stdout, "created "+filepath.Join(dir, filepath.FromSlash(f))+"\n") {
			t.Errorf("stdout does not list %s:\n%s", f, stdout)
		}
	}
	for _, next := range []string{"cd " + dir + " && make run", "make test"} {
		if !strings.Contains(stdout, next) {
			t.Errorf("stdout does not show the next command %q:\n%s", next, stdout)
		}
	}
	leftovers, err := filepath.Glob(filepath.Join(filepath.Dir(dir), ".portcullis-new-*"))
	if err != nil || len(leftovers) != 0 {
		t.Errorf("temporary directories left behind: %v %v", leftovers, err)
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "replace "+frameworkModule+" => "+repoRoot(t)+"\n") {
		t.Errorf("go.mod does not replace the framework with the checkout %s:\n%s", repoRoot(t), mod)
	}
	sum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	fwSum, err := os.ReadFile(filepath.Join(repoRoot(t), "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sum, fwSum) {
		t.Error("go.sum is not a copy of the framework's")
	}
}

func TestNewRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI("new", dir, "--module", "example.com/api")
	if code != 1 || !strings.Contains(stderr, "not empty") || !strings.Contains(stderr, "--force") {
		t.Fatalf("exit status %d, stderr %q; want 1 and a refusal naming --force", code, stderr)
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{"notes.txt"}) {
		t.Fatalf("a refused run wrote %v", got)
	}

	t.Run("force", func(t *testing.T) {
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package old\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI("new", dir, "--module", "example.com/api", "--force")
		if code != 0 {
			t.Fatalf("exit status %d; stderr: %s", code, stderr)
		}
		if b, err := os.ReadFile(mine); err != nil || string(b) != "mine" {
			t.Errorf("--force changed an unrelated file: %q, %v", b, err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "main.go"))
		if err != nil || !strings.Contains(string(b), "package main") {
			t.Errorf("--force did not overwrite main.go: %q, %v", b, err)
		}
	})
}

func TestNewWritesNothingOnFailure(t *testing.T) {
	t.Run("a generated path is taken by a directory", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "app.go"), 0o755); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI("new", dir, "--module", "example.com/api", "--force")
		if code != 1 || !strings.Contains(stderr, "is a directory") {
			t.Fatalf("exit status %d, stderr %q; want 1 and a message about app.go", code, stderr)
		}
		if got := listDir(t, dir); !slices.Equal(got, []string{"app.go"}) {
			t.Errorf("a failed run wrote %v", got)
		}
	})
	t.Run("the target is a file", func(t *testing.T) {
		target := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(target, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI("new", target, "--module", "example.com/api", "--force")
		if code != 1 || !strings.Contains(stderr, "not a directory") {
			t.Fatalf("exit status %d, stderr %q; want 1 and a message about the file", code, stderr)
		}
	})
	t.Run("the framework directory is wrong", func(t *testing.T) {
		parent := t.TempDir()
		code, _, _ := runCLI("new", filepath.Join(parent, "api"), "--module", "example.com/api", "--framework-dir", parent)
		if code != 1 {
			t.Fatalf("exit status %d, want 1", code)
		}
		if got := listDir(t, parent); len(got) != 0 {
			t.Errorf("a failed run wrote %v", got)
		}
	})
}

func TestRenderEveryCombination(t *testing.T) {
	co, err := readCheckout(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, auth := range authChoices {
		for _, st := range storeChoices {
			t.Run(auth+"/"+st, func(t *testing.T) {
				p := project{Module: "example.com/api", Name: "api", Auth: auth, Store: st}
				files, err := render(p, co)
				if err != nil {
					t.Fatal(err)
				}
				seen := map[string]bool{}
				for _, f := range files {
					if seen[f.Path] {
						t.Errorf("%s is rendered twice", f.Path)
					}
					seen[f.Path] = true
					if strings.Contains(string(f.Data), "<no value>") {
						t.Errorf("%s has an unfilled template value", f.Path)
					}
					if filepath.Ext(f.Path) != ".go" {
						continue
					}
					if _, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Data, parser.ParseComments); err != nil {
						t.Errorf("%s does not parse: %v", f.Path, err)
					}
					if formatted, err := format.Source(f.Data); err != nil || !bytes.Equal(formatted, f.Data) {
						t.Errorf("%s is not gofmt-clean (%v)", f.Path, err)
					}
				}
				wantAuth := auth != "none"
				if seen["auth.go"] != wantAuth {
					t.Errorf("auth.go rendered = %v, want %v", seen["auth.go"], wantAuth)
				}
				for _, f := range files {
					if f.Path == "store/store.go" && strings.Contains(string(f.Data), "modernc.org/sqlite") != (st == "sqlite") {
						t.Errorf("store/store.go imports the SQLite driver = %v with --store %s", !(st == "sqlite"), st)
					}
				}
			})
		}
	}
}
