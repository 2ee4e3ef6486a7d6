package docs

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the snippets of the guides from the example files.
var update = flag.Bool("update", false, "rewrite the Go blocks of the guides from the example regions")

const (
	includePrefix = "<!-- include: "
	includeSuffix = " -->"
	regionPrefix  = "// region: "
	regionEnd     = "// endregion"
	goFence       = "```go"
	fence         = "```"
)

var (
	errNoRegion      = errors.New("docs: region not found")
	errOpenRegion    = errors.New("docs: region is not closed")
	errBadMarker     = errors.New("docs: malformed include marker")
	errMissingBlock  = errors.New("docs: include marker not followed by a ```go block")
	errUnclosedBlock = errors.New("docs: code block is not closed")
	errBareGoBlock   = errors.New("docs: ```go block without an include marker")
)

// region extracts the lines between "// region: name" and the matching
// "// endregion" of src, drops the markers of regions nested inside it, and
// removes the indentation the remaining lines share.
func region(src, name string) (string, error) {
	lines := strings.Split(src, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == regionPrefix+name {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return "", fmt.Errorf("%w: %q", errNoRegion, name)
	}
	depth := 1
	var body []string
	for _, l := range lines[start:] {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, regionPrefix):
			depth++
			continue
		case t == regionEnd:
			depth--
			if depth == 0 {
				return dedent(body), nil
			}
			continue
		}
		body = append(body, l)
	}
	return "", fmt.Errorf("%w: %q", errOpenRegion, name)
}

// dedent drops the blank lines at both ends, removes the leading whitespace
// that all non-blank lines share, and joins the lines with a final newline.
func dedent(lines []string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	prefix := ""
	first := true
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		lead := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if first {
			prefix, first = lead, false
			continue
		}
		for !strings.HasPrefix(lead, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	var b strings.Builder
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(strings.TrimPrefix(l, prefix))
		b.WriteString("\n")
	}
	return b.String()
}

// snippet is one included Go block of a guide.
type snippet struct {
	file, region string // as the marker names them
	line         int    // of the marker, 1-based
	start, end   int    // line indexes of the block's content [start, end)
}

// snippets finds the included blocks of a guide. It fails on a ```go block
// without a marker right above it, on a marker without a block right below
// it, and on a block that is not closed.
func snippets(md string) ([]snippet, error) {
	lines := strings.Split(md, "\n")
	var out []snippet
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		switch {
		case strings.HasPrefix(l, includePrefix):
			ref, ok := strings.CutSuffix(strings.TrimPrefix(l, includePrefix), includeSuffix)
			file, name, found := strings.Cut(ref, "#")
			if !ok || !found || file == "" || name == "" {
				return nil, fmt.Errorf("%w at line %d: %q", errBadMarker, i+1, l)
			}
			if i+1 >= len(lines) || strings.TrimSpace(lines[i+1]) != goFence {
				return nil, fmt.Errorf("%w at line %d", errMissingBlock, i+1)
			}
			s := snippet{file: file, region: name, line: i + 1, start: i + 2}
			j := s.start
			for ; j < len(lines) && strings.TrimSpace(lines[j]) != fence; j++ {
			}
			if j == len(lines) {
				return nil, fmt.Errorf("%w at line %d", errUnclosedBlock, i+2)
			}
			s.end = j
			out = append(out, s)
			i = j
		case l == goFence:
			return nil, fmt.Errorf("%w at line %d", errBareGoBlock, i+1)
		case strings.HasPrefix(l, fence) && len(l) > len(fence):
			// Another language: skip to its end so its content is not read.
			j := i + 1
			for ; j < len(lines) && strings.TrimSpace(lines[j]) != fence; j++ {
			}
			if j == len(lines) {
				return nil, fmt.Errorf("%w at line %d", errUnclosedBlock, i+1)
			}
			i = j
		}
	}
	return out, nil
}

// notGuides are the Markdown files of this folder that other people keep
// and that are not guides.
var notGuides = map[string]bool{"design.md": true, "benchmarks.md": true}

// guides lists the guides of this folder, the index among them.
func guides(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !notGuides[f] {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatal("no guides found")
	}
	return out
}

// elsewhere are Markdown files outside this folder whose snippets are
// checked the same way; their include paths are relative to themselves.
var elsewhere = []string{"../README.md"}

func TestGuideSnippetsMatchExamples(t *testing.T) {
	for _, guide := range append(guides(t), elsewhere...) {
		t.Run(guide, func(t *testing.T) {
			raw, err := os.ReadFile(guide)
			if err != nil {
				t.Fatal(err)
			}
			md := string(raw)
			found, err := snippets(md)
			if err != nil {
				t.Fatalf("%s: %v", guide, err)
			}
			lines := strings.Split(md, "\n")
			var rewritten []string
			next := 0
			for _, s := range found {
				src, err := os.ReadFile(filepath.Join(filepath.Dir(guide), filepath.FromSlash(s.file)))
				if err != nil {
					t.Errorf("%s:%d: %v", guide, s.line, err)
					continue
				}
				want, err := region(string(src), s.region)
				if err != nil {
					t.Errorf("%s:%d: %s: %v", guide, s.line, s.file, err)
					continue
				}
				got := strings.Join(lines[s.start:s.end], "\n") + "\n"
				if s.start == s.end {
					got = ""
				}
				rewritten = append(rewritten, lines[next:s.start]...)
				rewritten = append(rewritten, strings.Split(strings.TrimSuffix(want, "\n"), "\n")...)
				next = s.end
				if got != want && !*update {
					t.Errorf("%s:%d: the block differs from %s#%s (run go test ./docs -update)\n--- guide\n%s--- example\n%s",
						guide, s.line, s.file, s.region, got, want)
				}
			}
			if *update && !t.Failed() {
				rewritten = append(rewritten, lines[next:]...)
				out := strings.Join(rewritten, "\n")
				if out != md {
					if err := os.WriteFile(guide, []byte(out), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

func TestEveryGuideIsIndexed(t *testing.T) {
	index, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, guide := range guides(t) {
		if guide == "README.md" {
			continue
		}
		t.Run(guide, func(t *testing.T) {
			if !bytes.Contains(index, []byte("("+guide+")")) {
				t.Errorf("README.md does not link to %s", guide)
			}
		})
	}
}

func TestRegion(t *testing.T) {
	src := "package x\n\n// region: outer\n\nfunc f() {\n\t// region: inner\n\tx := 1\n\t// endregion\n\t_ = x\n}\n// endregion\n\nfunc g() {\n\t// region: body\n\tif true {\n\t\treturn\n\t}\n\n\tg()\n\n\t// endregion\n}\n// region: open\nvar y int\n"
	tests := []struct {
		name    string
		region  string
		want    string
		wantErr error
	}{
		{name: "top level with nested markers and leading blank line dropped", region: "outer", want: "func f() {\n\tx := 1\n\t_ = x\n}\n"},
		{name: "nested region is dedented", region: "inner", want: "x := 1\n"},
		{name: "inner blank lines kept, outer ones and indentation trimmed", region: "body", want: "if true {\n\treturn\n}\n\ng()\n"},
		{name: "missing region", region: "nope", wantErr: errNoRegion},
		{name: "unclosed region", region: "open", wantErr: errOpenRegion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := region(src, tt.region)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSnippets(t *testing.T) {
	tests := []struct {
		name    string
		md      string
		want    []snippet
		wantErr error
	}{
		{
			name: "one included block",
			md:   "# T\n\n<!-- include: examples/a/a.go#r -->\n```go\nx := 1\n```\n",
			want: []snippet{{file: "examples/a/a.go", region: "r", line: 3, start: 4, end: 5}},
		},
		{
			name: "other languages are skipped",
			md:   "```sh\n```go\n```\n",
		},
		{name: "bare go block", md: "text\n```go\nx\n```\n", wantErr: errBareGoBlock},
		{name: "marker without block", md: "<!-- include: a.go#r -->\n\n```go\n```\n", wantErr: errMissingBlock},
		{name: "marker without region", md: "<!-- include: a.go -->\n```go\n```\n", wantErr: errBadMarker},
		{name: "unclosed block", md: "<!-- include: a.go#r -->\n```go\nx\n", wantErr: errUnclosedBlock},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := snippets(tt.md)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
