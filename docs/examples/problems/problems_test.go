package problems_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/problems"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

func TestErrorAnswers(t *testing.T) {
	var logs bytes.Buffer
	app := frameworktest.Start(t, problems.App(framework.Logger(slog.New(slog.NewTextHandler(&logs, nil)))))
	patch := func(path, body string) *frameworktest.Response {
		return app.Do(app.NewRequest(http.MethodPatch, path, strings.NewReader(body), "Content-Type", "application/json"))
	}
	tests := []struct {
		name   string
		do     func() *frameworktest.Response
		status int
		body   string
		header []string
	}{
		{"found", func() *frameworktest.Response { return app.Get("/items/1") }, 200,
			`{"id":1,"name":"tea","locked":false}`, nil},
		{"not found, through MapErrors", func() *frameworktest.Response { return app.Get("/items/9") }, 404,
			`{"type":"about:blank","title":"Not Found","status":404,"detail":"no such item"}`, nil},
		{"a handler's refusal with a header", func() *frameworktest.Response { return patch("/items/2", `{"name":"mocha"}`) }, 409,
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"item 2 is locked"}`, []string{"Retry-After", "120"}},
		{"invalid input", func() *frameworktest.Response { return patch("/items/0", `{"name":""}`) }, 422,
			`{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"the request input is invalid","errors":[{"location":"path","field":"id","message":"is required"},{"location":"body","field":"name","message":"is required"}]}`, nil},
		{"an unknown failure", func() *frameworktest.Response {
			return app.Do(app.NewRequest(http.MethodPost, "/reindex", nil))
		}, 500, `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"the server could not complete the request"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.do()
			if r.StatusCode != tt.status || string(r.Body) != tt.body {
				t.Fatalf("got %d %s\nwant %d %s", r.StatusCode, r.Body, tt.status, tt.body)
			}
			if tt.status >= 400 && r.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
			}
			if tt.header != nil && r.Header.Get(tt.header[0]) != tt.header[1] {
				t.Errorf("%s: %q, want %q", tt.header[0], r.Header.Get(tt.header[0]), tt.header[1])
			}
		})
	}
	// The cause of the 500 is in the log, not in the answer.
	if !strings.Contains(logs.String(), "search: the index server refused the connection") {
		t.Errorf("the log lacks the cause:\n%s", logs.String())
	}
}

// The statuses are in the OpenAPI document, as problem responses.
func TestErrorsAreDocumented(t *testing.T) {
	app := frameworktest.Start(t, problems.App(framework.Logger(slog.New(slog.DiscardHandler))))
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
	}
	app.Get("/openapi.json").JSON(t, &doc)
	for path, want := range map[string][]string{"get": {"200", "404", "422", "500"}, "patch": {"200", "404", "409", "413", "422", "500"}} {
		op := doc.Paths["/items/{id}"][path]
		for _, code := range want {
			if _, ok := op.Responses[code]; !ok {
				t.Errorf("%s /items/{id} documents no %s: %v", strings.ToUpper(path), code, op.Responses)
			}
		}
	}
}
