package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args, writing results to stdout and
// problems to stderr, and returns the exit status: 0 on success, 2 for a
// usage error (a bad command, flag or module path), 1 for any other
// failure.
func run(args []string, stdout, stderr io.Writer) int {
	err := dispatch(args, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.Is(err, ErrUsage), errors.Is(err, ErrModulePath):
		fmt.Fprintln(stderr, err)
		fmt.Fprintln(stderr, "Run 'portcullis help' for usage.")
		return 2
	default:
		fmt.Fprintln(stderr, err)
		return 1
	}
}

// errHelp reports that help was asked for and printed.
var errHelp = errors.New("portcullis: help requested")

// usage is the text of `portcullis help`.
const usage = `Portcullis is the command-line tool of the Portcullis web framework.

Usage:

	portcullis <command> [arguments]

Commands:

	new     scaffold a new API project that builds, runs and passes its tests
	help    show this help, or the help of a command: portcullis help new

`

// dispatch runs one command.
func dispatch(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: no command given", ErrUsage)
	}
	switch cmd := args[0]; cmd {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			switch args[1] {
			case "new":
				printNewHelp(stdout)
				return errHelp
			default:
				return fmt.Errorf("%w: unknown help topic %q", ErrUsage, args[1])
			}
		}
		fmt.Fprint(stdout, usage)
		return errHelp
	case "new":
		return runNew(args[1:], stdout)
	default:
		return fmt.Errorf("%w: unknown command %q", ErrUsage, cmd)
	}
}
