package main

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckModulePath(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		wantErr string // "" for a valid path; else a part of the message
	}{
		{name: "host and name", path: "example.com/myapi"},
		{name: "deep path", path: "github.com/some-org/my_api.v2/svc"},
		{name: "single word", path: "myapi"},
		{name: "major version suffix", path: "example.com/myapi/v2"},
		{name: "tilde inside", path: "example.com/a~b"},
		{name: "empty", path: "", wantErr: "it is empty"},
		{name: "leading slash", path: "/example.com/x", wantErr: "starts with a slash"},
		{name: "trailing slash", path: "example.com/x/", wantErr: "ends with a slash"},
		{name: "double slash", path: "example.com//x", wantErr: "double slash"},
		{name: "space", path: "example.com/my api", wantErr: "has the character ' '"},
		{name: "non-ASCII", path: "example.com/café", wantErr: "has the character 'é'"},
		{name: "dot element", path: "example.com/./x", wantErr: "relative path element"},
		{name: "dot-dot element", path: "example.com/../x", wantErr: "relative path element"},
		{name: "leading dot", path: "example.com/.hidden", wantErr: "starts or ends with a dot"},
		{name: "trailing dot", path: "example.com/x.", wantErr: "starts or ends with a dot"},
		{name: "upper-case host", path: "Example.com/x", wantErr: "host name"},
		{name: "underscore in host", path: "my_host.com/x", wantErr: "host name"},
		{name: "leading dash", path: "-x.com/y", wantErr: "starts with a dash"},
		{name: "windows reserved name", path: "example.com/con", wantErr: "reserved file name"},
		{name: "windows reserved name with extension", path: "example.com/aux.go", wantErr: "reserved file name"},
		{name: "windows short name", path: "example.com/PROGRA~1", wantErr: "Windows short name"},
		{name: "v1 suffix", path: "example.com/x/v1", wantErr: "major version suffix"},
		{name: "v0 suffix", path: "example.com/x/v0", wantErr: "major version suffix"},
		{name: "leading zero suffix", path: "example.com/x/v02", wantErr: "major version suffix"},
		{name: "standard library", path: "net/http", wantErr: "standard library"},
		{name: "under a standard package", path: "fmt/myapi", wantErr: "standard library"},
		{name: "the framework", path: "github.com/portcullis/portcullis", wantErr: "framework's own module"},
		{name: "inside the framework", path: "github.com/portcullis/portcullis/myapi", wantErr: "framework's own module"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkModulePath(tt.path)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("checkModulePath(%q) = %v, want nil", tt.path, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("checkModulePath(%q) = nil, want an error with %q", tt.path, tt.wantErr)
			}
			if !errors.Is(err, ErrModulePath) {
				t.Errorf("error %v does not wrap ErrModulePath", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestAppName(t *testing.T) {
	tests := []struct{ path, want string }{
		{"example.com/myapi", "myapi"},
		{"example.com/myapi/v3", "myapi"},
		{"myapi", "myapi"},
		{"v2", "v2"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := appName(tt.path); got != tt.want {
				t.Errorf("appName(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}
