package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// checkout is a local copy of the framework module, read once: its
// directory, its go directive and require blocks, and its go.sum.
type checkout struct {
	// Dir is the absolute path of the directory that holds its go.mod.
	Dir string
	// GoVersion is the version of its go directive, such as "1.26.8".
	GoVersion string
	// Toolchain is its toolchain directive, or "".
	Toolchain string
	// Requires are its require blocks: lines "path version" with any
	// "// indirect" comment, in file order, one slice per block (a
	// single-line require is a block of its own).
	Requires [][]string
	// Sum is its go.sum, copied as it is.
	Sum []byte
}

// findCheckout locates the framework checkout. An explicit dir must hold the
// framework's go.mod. Otherwise the directories from wd upwards are tried,
// and then those above this command's own source file, which finds the
// checkout the command was built from. The error wraps [ErrFramework].
func findCheckout(explicit, wd string) (*checkout, error) {
	if explicit != "" {
		abs, err := filepath.Abs(explicit)
		if err != nil {
			return nil, fmt.Errorf("%w: --framework-dir %s: %w", ErrFramework, explicit, err)
		}
		c, err := readCheckout(abs)
		if err != nil {
			return nil, fmt.Errorf("--framework-dir: %w", err)
		}
		return c, nil
	}
	var starts []string
	if wd != "" {
		starts = append(starts, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		starts = append(starts, filepath.Dir(file))
	}
	for _, start := range starts {
		for dir := filepath.Clean(start); ; dir = filepath.Dir(dir) {
			if c, err := readCheckout(dir); err == nil {
				return c, nil
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	return nil, fmt.Errorf("%w: no directory above %s holds the go.mod of %s; "+
		"the framework is not published yet, so run the command from a checkout of it or pass --framework-dir PATH",
		ErrFramework, wd, frameworkModule)
}

// readCheckout reads dir/go.mod and dir/go.sum and checks that they are the
// framework's.
func readCheckout(dir string) (*checkout, error) {
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFramework, err)
	}
	c, err := parseGoMod(mod)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrFramework, filepath.Join(dir, "go.mod"), err)
	}
	c.Dir = dir
	c.Sum, err = os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFramework, err)
	}
	return c, nil
}

// parseGoMod reads the parts of the framework's go.mod that a generated
// project copies. It understands the subset of the go.mod syntax that
// module uses (module, go, toolchain, require in both forms); a replace or
// exclude directive is refused, since copying it could change what the
// project builds.
func parseGoMod(data []byte) (*checkout, error) {
	c := &checkout{}
	module := ""
	inRequire := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		code, _, _ := strings.Cut(line, "//")
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		if inRequire {
			if code == ")" {
				inRequire = false
				continue
			}
			if len(strings.Fields(code)) != 2 {
				return nil, fmt.Errorf("line %d: cannot read the requirement %q", n, line)
			}
			c.Requires[len(c.Requires)-1] = append(c.Requires[len(c.Requires)-1], line)
			continue
		}
		fields := strings.Fields(code)
		switch fields[0] {
		case "module":
			if len(fields) != 2 {
				return nil, fmt.Errorf("line %d: cannot read the module directive", n)
			}
			module = strings.Trim(fields[1], `"`)
		case "go":
			if len(fields) != 2 {
				return nil, fmt.Errorf("line %d: cannot read the go directive", n)
			}
			c.GoVersion = fields[1]
		case "toolchain":
			if len(fields) != 2 {
				return nil, fmt.Errorf("line %d: cannot read the toolchain directive", n)
			}
			c.Toolchain = fields[1]
		case "require":
			switch {
			case code == "require (":
				inRequire = true
				c.Requires = append(c.Requires, nil)
			case len(fields) == 3:
				c.Requires = append(c.Requires, []string{strings.TrimSpace(strings.TrimPrefix(line, "require"))})
			default:
				return nil, fmt.Errorf("line %d: cannot read the require directive %q", n, line)
			}
		default:
			return nil, fmt.Errorf("line %d: the %s directive is not supported; a generated project cannot copy it", n, fields[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if module != frameworkModule {
		return nil, fmt.Errorf("the module is %q, not %s", module, frameworkModule)
	}
	if c.GoVersion == "" {
		return nil, fmt.Errorf("no go directive")
	}
	return c, nil
}

// goMod renders the go.mod of a generated project: the framework's go
// directive and requirements, the framework itself, and a replace directive
// that points at the checkout.
func (c *checkout) goMod(module string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "module %s\n\ngo %s\n", module, c.GoVersion)
	if c.Toolchain != "" {
		fmt.Fprintf(&b, "\ntoolchain %s\n", c.Toolchain)
	}
	b.WriteString("\nrequire " + frameworkModule + " v0.0.0-00010101000000-000000000000\n")
	// The framework's own requirements, at the versions its go.sum covers,
	// so that the project builds from the module cache alone.
	for _, block := range c.Requires {
		if len(block) == 0 {
			continue
		}
		b.WriteString("\nrequire (\n")
		for _, r := range block {
			b.WriteString("\t" + r + "\n")
		}
		b.WriteString(")\n")
	}
	fmt.Fprintf(&b, "\n// The framework is not published yet: build it from the local checkout.\nreplace %s => %s\n",
		frameworkModule, quoteModPath(c.Dir))
	return b.Bytes()
}

// quoteModPath quotes a file path for go.mod when it holds characters the
// go.mod syntax would misread.
func quoteModPath(p string) string {
	if strings.ContainsAny(p, " \t\"'`()\\") {
		return strconv.Quote(p)
	}
	return p
}
