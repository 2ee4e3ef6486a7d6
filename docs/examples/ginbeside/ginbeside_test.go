package ginbeside_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/portcullis/portcullis/docs/examples/ginbeside"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

func start(t *testing.T) *frameworktest.App {
	t.Helper()
	return frameworktest.Start(t, ginbeside.App(framework.Logger(slog.New(slog.DiscardHandler))))
}

// The middleware runs for framework routes, the plain gin route, refusals
// and unknown paths alike, and keeps a client's own request id.
func TestRequestIDOnEveryAnswer(t *testing.T) {
	app := start(t)
	post := func(body string, header ...string) *frameworktest.Response {
		return app.Do(app.NewRequest(http.MethodPost, "/notes", strings.NewReader(body),
			append([]string{"Content-Type", "application/json"}, header...)...))
	}
	tests := []struct {
		name   string
		do     func() *frameworktest.Response
		status int
	}{
		{"framework route", func() *frameworktest.Response { return app.Get("/notes") }, http.StatusOK},
		{"created", func() *frameworktest.Response { return post(`{"text":"milk"}`) }, http.StatusCreated},
		{"invalid input", func() *frameworktest.Response { return post(`{}`) }, http.StatusUnprocessableEntity},
		{"plain gin route", func() *frameworktest.Response { return app.Get("/healthz") }, http.StatusOK},
		{"unknown path", func() *frameworktest.Response { return app.Get("/nope") }, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.do()
			if r.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", r.StatusCode, tt.status, r.Body)
			}
			if id := r.Header.Get("X-Request-ID"); len(id) != 16 {
				t.Errorf("X-Request-ID %q, want 16 hex digits", id)
			}
		})
	}
	if r := app.Get("/notes", "X-Request-ID", "abc-123"); r.Header.Get("X-Request-ID") != "abc-123" {
		t.Errorf("the client's request id came back as %q", r.Header.Get("X-Request-ID"))
	}
	if r := app.Get("/healthz"); string(r.Body) != "ok" || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("GET /healthz: %s %q", r.Header.Get("Content-Type"), r.Body)
	}
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	app.Get("/openapi.json").JSON(t, &doc)
	if doc.Paths["/healthz"]["get"] == nil || doc.Paths["/notes"]["post"] == nil {
		t.Errorf("the document lacks GET /healthz or POST /notes: %v", doc.Paths)
	}
}

// POST /notes takes at most 1 KiB, though the app takes 1 MiB elsewhere.
func TestNoteBodyLimit(t *testing.T) {
	app := start(t)
	for _, n := range []int{1000, 1100} {
		body := `{"text":"` + strings.Repeat("x", n-len(`{"text":""}`)) + `"}`
		r := app.Do(app.NewRequest(http.MethodPost, "/notes", strings.NewReader(body), "Content-Type", "application/json"))
		want := http.StatusCreated
		if n > 1024 {
			want = http.StatusRequestEntityTooLarge
		}
		if r.StatusCode != want {
			t.Fatalf("%d bytes: status %d, want %d: %s", n, r.StatusCode, want, r.Body)
		}
		if want == http.StatusRequestEntityTooLarge && !strings.Contains(string(r.Body), `"detail":"the request body is larger than 1024 bytes"`) {
			t.Errorf("%d bytes: %s", n, r.Body)
		}
	}
}
