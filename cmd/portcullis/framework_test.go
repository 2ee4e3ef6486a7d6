package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseGoMod(t *testing.T) {
	tests := []struct {
		name         string
		gomod        string
		wantGo       string
		wantRequires [][]string
		wantErr      string
	}{
		{
			name: "blocks and a single line",
			gomod: "module github.com/portcullis/portcullis\n\ngo 1.26.8\n\ntoolchain go1.26.8\n\n" +
				"require (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d v0.1.0 // indirect\n)\n\nrequire example.org/e v2.0.0\n",
			wantGo:       "1.26.8",
			wantRequires: [][]string{{"github.com/a/b v1.0.0", "github.com/c/d v0.1.0 // indirect"}, {"example.org/e v2.0.0"}},
		},
		{
			name:    "another module",
			gomod:   "module example.com/other\n\ngo 1.26\n",
			wantErr: `the module is "example.com/other"`,
		},
		{
			name:    "replace directive",
			gomod:   "module github.com/portcullis/portcullis\n\ngo 1.26\n\nreplace a => ../a\n",
			wantErr: "the replace directive is not supported",
		},
		{
			name:    "no go directive",
			gomod:   "module github.com/portcullis/portcullis\n",
			wantErr: "no go directive",
		},
		{
			name:    "broken requirement",
			gomod:   "module github.com/portcullis/portcullis\n\ngo 1.26\n\nrequire (\n\tgithub.com/a/b\n)\n",
			wantErr: "cannot read the requirement",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseGoMod([]byte(tt.gomod))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseGoMod error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.GoVersion != tt.wantGo {
				t.Errorf("GoVersion = %q, want %q", c.GoVersion, tt.wantGo)
			}
			if !slices.EqualFunc(c.Requires, tt.wantRequires, slices.Equal) {
				t.Errorf("Requires = %q, want %q", c.Requires, tt.wantRequires)
			}
		})
	}
}

func TestGoModOfProject(t *testing.T) {
	c := &checkout{
		Dir:       "/src/my checkout",
		GoVersion: "1.26.8",
		Requires:  [][]string{{"github.com/a/b v1.0.0"}, {"github.com/c/d v0.1.0 // indirect"}},
	}
	got := string(c.goMod("example.com/api"))
	for _, want := range []string{
		"module example.com/api\n",
		"\ngo 1.26.8\n",
		"require github.com/portcullis/portcullis v0.0.0-00010101000000-000000000000\n",
		"require (\n\tgithub.com/a/b v1.0.0\n)\n",
		"require (\n\tgithub.com/c/d v0.1.0 // indirect\n)\n",
		`replace github.com/portcullis/portcullis => "/src/my checkout"` + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("go.mod lacks %q:\n%s", want, got)
		}
	}
}

func TestFindCheckout(t *testing.T) {
	fake := t.TempDir()
	gomod := "module github.com/portcullis/portcullis\n\ngo 1.26.8\n\nrequire github.com/a/b v1.0.0\n"
	if err := os.WriteFile(filepath.Join(fake, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fake, "go.sum"), []byte("sum\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(fake, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.com/other\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		explicit string
		wd       string
		wantDir  string
		wantErr  bool
	}{
		{name: "explicit", explicit: fake, wd: other, wantDir: fake},
		{name: "walk up from the working directory", wd: deep, wantDir: fake},
		{name: "the working directory itself", wd: fake, wantDir: fake},
		{name: "explicit directory of another module", explicit: other, wantErr: true},
		{name: "explicit directory without go.mod", explicit: deep, wantErr: true},
		{name: "fall back to this command's source", wd: other, wantDir: repoRoot(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := findCheckout(tt.explicit, tt.wd)
			if tt.wantErr {
				if !errors.Is(err, ErrFramework) {
					t.Fatalf("findCheckout error = %v, want ErrFramework", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Dir != tt.wantDir {
				t.Errorf("Dir = %q, want %q", c.Dir, tt.wantDir)
			}
		})
	}
}
