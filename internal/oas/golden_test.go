package oas

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

var update = flag.Bool("update", false, "rewrite golden files")

// buildDoc adds tags, schemes and operations to a new builder and returns the
// marshalled document, failing the test on any error.
func buildDoc(t *testing.T, info Info, tags [][2]string, schemes map[string]*openapi3.SecurityScheme, ops ...Operation) []byte {
	t.Helper()
	b := NewBuilder(info)
	for _, tag := range tags {
		b.AddTag(tag[0], tag[1])
	}
	for name, s := range schemes {
		if err := b.AddScheme(name, s); err != nil {
			t.Fatalf("AddScheme(%q): %v", name, err)
		}
	}
	for _, op := range ops {
		if err := b.AddOperation(op); err != nil {
			t.Fatalf("AddOperation(%s %s): %v", op.Method, op.Path, err)
		}
	}
	doc, err := b.Document()
	if err != nil {
		t.Fatalf("Document: %v", err)
	}
	data, err := Marshal(doc)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	again, err := b.Document()
	if err != nil {
		t.Fatalf("second Document: %v", err)
	}
	data2, err := Marshal(again)
	if err != nil {
		t.Fatalf("second Marshal: %v", err)
	}
	if !bytes.Equal(data, data2) {
		t.Fatalf("two Document calls gave different bytes")
	}
	reloadAndValidate(t, data)
	return data
}

// reloadAndValidate parses data as a fresh document, which resolves every
// $ref, and validates it with kin-openapi.
func reloadAndValidate(t *testing.T, data []byte) {
	t.Helper()
	loaded, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("reloading the document: %v", err)
	}
	if err := loaded.Validate(context.Background()); err != nil {
		t.Fatalf("the reloaded document is invalid: %v", err)
	}
	if loaded.OpenAPI != "3.0.3" {
		t.Fatalf("openapi = %q, want 3.0.3", loaded.OpenAPI)
	}
	if !bytes.HasSuffix(data, []byte("}\n")) {
		t.Fatalf("the document does not end with a newline")
	}
}

// checkGolden compares data with testdata/<name>.golden.json, rewriting
// the file under -update.
func checkGolden(t *testing.T, name string, data []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(data, want) {
		t.Errorf("%s differs from the built document (run go test -update after checking the change):\n%s",
			path, firstDifference(want, data))
	}
}

// firstDifference shows the first line where got and want differ.
func firstDifference(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + string(w) + "\n  got:  " + string(g)
		}
	}
	return "(no difference)"
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
