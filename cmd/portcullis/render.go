package main

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"path"
	"strings"
	"text/template"
)

//go:embed templates
var templateFS embed.FS

// project is what the templates see.
type project struct {
	// Module is the module path, such as example.com/myapi.
	Module string
	// Name is the short name derived from Module, such as myapi.
	Name string
	// Auth is the --auth choice.
	Auth string
	// Store is the --store choice.
	Store string
}

// OAuth2 reports whether the project uses the OAuth2 password flow.
func (p project) OAuth2() bool { return p.Auth == "oauth2-password" }

// APIKey reports whether the project uses an API key header.
func (p project) APIKey() bool { return p.Auth == "apikey" }

// Basic reports whether the project uses HTTP Basic.
func (p project) Basic() bool { return p.Auth == "basic" }

// Secured reports whether the project has a secured route.
func (p project) Secured() bool { return p.Auth != "none" }

// Passwords reports whether users log in with a password.
func (p project) Passwords() bool { return p.OAuth2() || p.Basic() }

// SQLite reports whether the store is an SQLite database.
func (p project) SQLite() bool { return p.Store == "sqlite" }

// Title is the API's title in its OpenAPI document.
func (p project) Title() string { return p.Name + " API" }

// file is one generated file, with a slash-separated path relative to the
// project directory.
type file struct {
	Path string
	Data []byte
}

// manifest lists the templates and where their output goes. A template is
// rendered only when its condition holds.
var manifest = []struct {
	tmpl, out string
	when      func(project) bool
}{
	{"main.go.tmpl", "main.go", nil},
	{"app.go.tmpl", "app.go", nil},
	{"config.go.tmpl", "config.go", nil},
	{"handlers.go.tmpl", "handlers.go", nil},
	{"auth_oauth2.go.tmpl", "auth.go", project.OAuth2},
	{"auth_apikey.go.tmpl", "auth.go", project.APIKey},
	{"auth_basic.go.tmpl", "auth.go", project.Basic},
	{"store_sqlite.go.tmpl", "store/store.go", project.SQLite},
	{"store_memory.go.tmpl", "store/store.go", func(p project) bool { return !p.SQLite() }},
	{"store_test.go.tmpl", "store/store_test.go", nil},
	{"app_test.go.tmpl", "app_test.go", nil},
	{"Makefile.tmpl", "Makefile", nil},
	{"README.md.tmpl", "README.md", nil},
	{"gitignore.tmpl", ".gitignore", nil},
}

// render produces every file of the project in memory: the templates, each
// Go file formatted with go/format, and the go.mod and go.sum derived from
// the checkout. Nothing touches the disk here. The error wraps [ErrRender].
func render(p project, co *checkout) ([]file, error) {
	tmpls, err := template.New("").Option("missingkey=error").ParseFS(templateFS, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("%w: parsing templates: %w", ErrRender, err)
	}
	files := []file{
		{Path: "go.mod", Data: co.goMod(p.Module)},
		{Path: "go.sum", Data: co.Sum},
	}
	for _, m := range manifest {
		if m.when != nil && !m.when(p) {
			continue
		}
		var b bytes.Buffer
		if err := tmpls.ExecuteTemplate(&b, m.tmpl, p); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrRender, m.tmpl, err)
		}
		data := b.Bytes()
		if path.Ext(m.out) == ".go" {
			data, err = format.Source(data)
			if err != nil {
				return nil, fmt.Errorf("%w: %s does not format as Go (%s, --auth %s, --store %s): %w",
					ErrRender, m.out, m.tmpl, p.Auth, p.Store, err)
			}
		} else {
			data = tidyBlankLines(data)
		}
		files = append(files, file{Path: m.out, Data: data})
	}
	return files, nil
}

// tidyBlankLines collapses the runs of blank lines that conditional template
// sections leave in text files.
func tidyBlankLines(data []byte) []byte {
	s := string(data)
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return []byte(strings.TrimLeft(s, "\n"))
}
