package framework_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
)

type fuzzInput struct {
	framework.Input
	ID    int       `uri:"id" binding:"min=1"`
	Q     string    `form:"q" binding:"omitempty,oneof=a b"`
	Limit *uint8    `form:"limit"`
	Tags  []int     `form:"tag"`
	Since time.Time `form:"since"`
	Trace string    `header:"X-Trace" binding:"omitempty,max=8"`
	Name  string    `json:"name" binding:"required"`
	Price float64   `json:"price" binding:"min=0"`
	Items []struct {
		N int `json:"n" binding:"min=1"`
	} `json:"items" binding:"dive"`
}

// FuzzInputBinding sends arbitrary paths, queries, headers and bodies to a
// route with every input source. Whatever arrives, the answer is a 2xx or a
// 4xx problem: never a 5xx, never a panic.
func FuzzInputBinding(f *testing.F) {
	var e *gin.Engine
	app := fx.New(fx.NopLogger, framework.Module(framework.Docs("", ""), framework.MaxBodyBytes(4096)),
		framework.Routes(func(r *framework.Router) {
			r.POST("/items/:id", func(in fuzzInput) int { return in.ID })
		}),
		fx.Populate(&e))
	if err := app.Err(); err != nil {
		f.Fatal(err)
	}
	f.Add("1", "q=a&limit=3&tag=1&tag=2&since=2026-01-02T03:04:05Z", "t1", `{"name":"pen","price":1,"items":[{"n":1}]}`, "application/json")
	f.Add("0", "limit=300", "much-too-long", `{"price":-1}`, "application/json")
	f.Add("x", "q=%zz", "", `{"name":`, "text/plain")
	f.Add("9999999999999999999999", "since=yesterday", "\x00", "[1,2]", "application/json; charset=utf-8")
	f.Add("1", "", "", `{"name":"a"} {"name":"b"}`, "")
	f.Fuzz(func(t *testing.T, id, query, trace, body, contentType string) {
		target := "/items/" + url.PathEscape(id) + "?" + query
		req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		if trace != "" {
			req.Header.Set("X-Trace", trace)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s with body %q: %d %s", target, body, w.Code, w.Body)
		}
		if w.Code >= 400 {
			if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("%d answered with %q: %s", w.Code, ct, w.Body)
			}
			if !bytes.Contains(w.Body.Bytes(), []byte(`"detail":`)) {
				t.Fatalf("%d problem without a detail: %s", w.Code, w.Body)
			}
		}
	})
}
