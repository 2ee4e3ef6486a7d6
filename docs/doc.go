// Package docs holds the security guides of Portcullis as Markdown files.
//
// # Snippets
//
// Every Go snippet in a guide is a region of a file under examples/, marked
// with "// region: NAME" and "// endregion". The guide writes the block right
// below an HTML comment that names it:
//
//	<!-- include: examples/firststeps/firststeps.go#scheme -->
//
// The package test checks that each block equals its region byte for byte,
// after the indentation the region's lines share is removed, and that no Go
// block lacks a marker. Run it with -update to rewrite the blocks from the
// files:
//
//	go test ./docs -run TestGuideSnippetsMatchExamples -update
//
// # Examples
//
// Each examples/<topic> package compiles, and its test starts the example app
// on loopback and calls it over HTTP.
package docs
