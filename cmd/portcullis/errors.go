package main

import "errors"

// Sentinel errors of the portcullis command. Every error the command reports
// wraps one of them, so tests and callers can tell the categories apart.
var (
	// ErrUsage reports a command line that cannot be run: an unknown
	// command, a missing argument or a bad flag value. The command exits
	// with status 2.
	ErrUsage = errors.New("portcullis: usage")
	// ErrModulePath reports a module path that Go would not accept.
	ErrModulePath = errors.New("portcullis: invalid module path")
	// ErrNotEmpty reports a target directory that already holds files
	// while --force was not given.
	ErrNotEmpty = errors.New("portcullis: target directory is not empty")
	// ErrFramework reports that the framework checkout could not be found
	// or read.
	ErrFramework = errors.New("portcullis: framework checkout")
	// ErrRender reports a template that failed to render or produced Go
	// code that does not format. It is a bug in the command.
	ErrRender = errors.New("portcullis: rendering")
	// ErrWrite reports a failure to write the generated project.
	ErrWrite = errors.New("portcullis: writing")
)
