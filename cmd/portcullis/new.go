package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The choices of the new command's --auth and --store flags.
var (
	authChoices  = []string{"oauth2-password", "apikey", "basic", "none"}
	storeChoices = []string{"sqlite", "memory"}
)

// newUsage heads the help of the new command; the flag list follows it.
const newUsage = `Usage: portcullis new DIR --module PATH [flags]

New creates DIR with a Portcullis API project: main.go wiring the app with
fx, a public route and a secured route reached through a currentUser
dependency, the token endpoint when OAuth2 is chosen, a store, tests that
log in for real, a Makefile with run and test, a README and a .gitignore.

Flags may come before or after DIR. DIR must be empty or missing, unless
--force is given; then files of the same names are overwritten and other
files are left alone. Nothing is written when any check fails.

The framework is not published yet, so the project's go.mod replaces it
with a local checkout: the one above the working directory (or above this
command's source), or the one named by --framework-dir. The project copies
the checkout's requirements and go.sum, so it builds from the module cache.

Flags:
`

// newOptions are the settings of one run of the new command.
type newOptions struct {
	Dir          string
	Module       string
	Auth         string
	Store        string
	Force        bool
	FrameworkDir string
}

// newFlags returns the flag set of the new command, bound to o.
func newFlags(o *newOptions, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.Module, "module", "", "module `path` of the new project, such as example.com/myapi (required)")
	fs.StringVar(&o.Auth, "auth", "oauth2-password", "security of the secured route: "+strings.Join(authChoices, ", "))
	fs.StringVar(&o.Store, "store", "sqlite", "store of users: "+strings.Join(storeChoices, ", "))
	fs.BoolVar(&o.Force, "force", false, "write into DIR even when it is not empty")
	fs.StringVar(&o.FrameworkDir, "framework-dir", "", "`path` of the framework checkout the project builds against (found automatically when empty)")
	fs.Usage = func() {} // parseNew prints the help and reports errors itself
	return fs
}

// printNewHelp writes the help of the new command to w.
func printNewHelp(w io.Writer) {
	fmt.Fprint(w, newUsage)
	fs := newFlags(&newOptions{}, w)
	fs.PrintDefaults()
	fmt.Fprint(w, `
Example:

	portcullis new myapi --module example.com/myapi --auth apikey --store memory
	cd myapi && make run
`)
}

// parseNew reads the new command's arguments. DIR may stand anywhere among
// the flags: the flag package stops at the first argument that is not a
// flag, so parsing resumes after it.
func parseNew(args []string, stdout io.Writer) (*newOptions, error) {
	o := &newOptions{}
	fs := newFlags(o, io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printNewHelp(stdout)
				return nil, errHelp
			}
			return nil, fmt.Errorf("%w: new: %w", ErrUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	switch len(positional) {
	case 0:
		return nil, fmt.Errorf("%w: new: the directory is missing: portcullis new DIR --module PATH", ErrUsage)
	case 1:
		o.Dir = positional[0]
	default:
		return nil, fmt.Errorf("%w: new: one directory expected, got %q", ErrUsage, positional)
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// validate checks the values of the flags.
func (o *newOptions) validate() error {
	if o.Dir == "" {
		return fmt.Errorf("%w: new: the directory is empty", ErrUsage)
	}
	if !slices.Contains(authChoices, o.Auth) {
		return fmt.Errorf("%w: new: --auth %q is not one of %s", ErrUsage, o.Auth, strings.Join(authChoices, ", "))
	}
	if !slices.Contains(storeChoices, o.Store) {
		return fmt.Errorf("%w: new: --store %q is not one of %s", ErrUsage, o.Store, strings.Join(storeChoices, ", "))
	}
	if o.Module == "" {
		return fmt.Errorf("%w: new: --module is required, such as --module example.com/%s", ErrUsage, filepath.Base(o.Dir))
	}
	if err := checkModulePath(o.Module); err != nil {
		return fmt.Errorf("new: --module: %w", err)
	}
	return nil
}

// runNew runs the new command.
func runNew(args []string, stdout io.Writer) error {
	o, err := parseNew(args, stdout)
	if err != nil {
		return err
	}
	if err := checkTarget(o.Dir, o.Force); err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		wd = ""
	}
	co, err := findCheckout(o.FrameworkDir, wd)
	if err != nil {
		return err
	}
	files, err := render(project{
		Module: o.Module,
		Name:   appName(o.Module),
		Auth:   o.Auth,
		Store:  o.Store,
	}, co)
	if err != nil {
		return err
	}
	if err := writeProject(o.Dir, files); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "created %s\n", filepath.Join(o.Dir, filepath.FromSlash(f.Path)))
	}
	fmt.Fprintf(stdout, "\nNext:\n\n\tcd %s && make run\n\tmake test\n", shellQuote(o.Dir))
	return nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
