package main

import (
	"fmt"
	"go/build"
	"strconv"
	"strings"
)

// frameworkModule is the module path of the framework. A generated project
// requires it and, while it is unpublished, replaces it with a local
// checkout.
const frameworkModule = "github.com/portcullis/portcullis"

// windowsReserved are file names Windows refuses whatever their extension.
// A path element that is one of them could not be checked out there.
var windowsReserved = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true,
	"COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true,
	"LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
}

// checkModulePath reports whether path is usable as the module path of a new
// project. It follows the rules of the go command for module paths
// (golang.org/x/mod/module.CheckPath, which this module does not depend on),
// with one relaxation: like `go mod init`, it accepts a first element
// without a dot, such as "myapi", for a project that is never fetched by
// path. It also refuses paths of the standard library and of the framework
// itself, which would shadow them. The error wraps [ErrModulePath].
func checkModulePath(path string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w %q: %s", ErrModulePath, path, fmt.Sprintf(format, args...))
	}
	switch {
	case path == "":
		return fmt.Errorf("%w: it is empty; pass --module, such as --module example.com/myapi", ErrModulePath)
	case strings.HasPrefix(path, "/"):
		return bad("it starts with a slash")
	case strings.HasSuffix(path, "/"):
		return bad("it ends with a slash")
	case strings.Contains(path, "//"):
		return bad("it has an empty element (double slash)")
	}
	elems := strings.Split(path, "/")
	for _, e := range elems {
		if err := checkElem(e); err != nil {
			return bad("element %q %s", e, err)
		}
	}
	first := elems[0]
	if strings.HasPrefix(first, "-") {
		return bad("the first element starts with a dash")
	}
	if strings.Contains(first, ".") {
		for _, r := range first {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
				return bad("the first element is a host name and may only hold lower-case letters, digits, dots and dashes")
			}
		}
	} else if isStandard(path) {
		return bad("it is a package of the standard library")
	}
	if last := elems[len(elems)-1]; len(elems) > 1 && isMajor(last) {
		n, _ := strconv.Atoi(last[1:])
		if n < 2 || last != "v"+strconv.Itoa(n) {
			return bad("a major version suffix must be /v2 or higher, without leading zeros")
		}
	}
	if path == frameworkModule || strings.HasPrefix(path, frameworkModule+"/") {
		return bad("it is inside the framework's own module %s; choose a path of your own", frameworkModule)
	}
	return nil
}

// checkElem checks one element of a module path.
func checkElem(e string) error {
	if e == "." || e == ".." {
		return fmt.Errorf("is a relative path element")
	}
	if strings.HasPrefix(e, ".") || strings.HasSuffix(e, ".") {
		return fmt.Errorf("starts or ends with a dot")
	}
	for _, r := range e {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '.' || r == '_' || r == '~') {
			return fmt.Errorf("has the character %q; use letters, digits and - . _ ~", r)
		}
	}
	name, _, _ := strings.Cut(e, ".")
	if windowsReserved[strings.ToUpper(name)] {
		return fmt.Errorf("is a reserved file name on Windows")
	}
	// A tilde followed by digits at the end of the name looks like a
	// Windows short name (PROGRA~1), which the go command refuses.
	if i := strings.LastIndex(name, "~"); i >= 0 && i < len(name)-1 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return fmt.Errorf("looks like a Windows short name (ends in ~ and digits)")
		}
	}
	return nil
}

// isMajor reports whether e has the shape of a major version element: "v"
// and digits.
func isMajor(e string) bool {
	if len(e) < 2 || e[0] != 'v' {
		return false
	}
	for _, r := range e[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isStandard reports whether path, or its first element, names a package of
// the standard library.
func isStandard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	for _, p := range []string{path, first} {
		if pkg, err := build.Default.Import(p, "", build.FindOnly); err == nil && pkg.Goroot {
			return true
		}
	}
	return false
}

// appName derives a short name for the project from its module path: the
// last element, or the one before a major version suffix.
func appName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && isMajor(name) {
		name = elems[len(elems)-2]
	}
	return name
}
