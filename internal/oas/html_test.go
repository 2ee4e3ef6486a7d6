package oas

import (
	"net/http"
	"slices"
	"testing"
)

func TestHTMLOperationsListTextHTML(t *testing.T) {
	for _, html := range []bool{false, true} {
		b := NewBuilder(Info{Title: "t", Version: "1"})
		if err := b.AddOperation(Operation{Method: http.MethodGet, Path: "/authorize", Status: http.StatusOK, Problems: []int{400}, HTML: html}); err != nil {
			t.Fatal(err)
		}
		doc, err := b.Document()
		if err != nil {
			t.Fatal(err)
		}
		op := doc.Paths.Find("/authorize").Get
		for _, status := range []string{"200", "400"} {
			var types []string
			for ct := range op.Responses.Value(status).Value.Content {
				types = append(types, ct)
			}
			if got := slices.Contains(types, "text/html"); got != html {
				t.Errorf("HTML=%t: response %s lists %v", html, status, types)
			}
			if status == "400" && !slices.Contains(types, "application/problem+json") {
				t.Errorf("HTML=%t: the 400 lost its problem+json body: %v", html, types)
			}
		}
	}
}
