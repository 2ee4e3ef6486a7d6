package framework_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

// rawExchange sends raw bytes to the app's server and reads one response.
func rawExchange(t *testing.T, url, raw string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func wantProblem(t *testing.T, resp *http.Response, body string, status int, detail string) {
	t.Helper()
	var p struct {
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	if resp.StatusCode != status || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("got %d %q %s, want a %d problem", resp.StatusCode, resp.Header.Get("Content-Type"), body, status)
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != status || p.Title != http.StatusText(status) || p.Detail != detail {
		t.Fatalf("problem %s (%v), want status %d and detail %q", body, err, status, detail)
	}
}

// The Server holds requests to MaxHeaderBytes to the byte, and the answers
// net/http gives before routing are problem+json like the rest.
func TestServerRefusalsAreProblems(t *testing.T) {
	const limit = 16 << 10
	app := frameworktest.Start(t, framework.Module(framework.MaxHeaderBytes(limit)),
		framework.Routes(func(r *framework.Router) {
			r.GET("/x", func() string { return "ok" })
			// A handler that writes to the connection itself, with more
			// headers before net/http's: it is not net/http's refusal.
			r.Raw(http.MethodGet, "/hijack", func(c *gin.Context) {
				conn, _, err := c.Writer.Hijack()
				if err != nil {
					t.Error(err)
					return
				}
				defer conn.Close()
				_, _ = io.WriteString(conn, "HTTP/1.1 400 Bad Request\r\nX-Own: 1\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nUnsupported transfer encoding")
			})
		}))
	// A request whose line and headers, as sent, are n bytes.
	request := func(n int) string {
		head := "GET /x HTTP/1.1\r\nHost: a\r\nX-Pad: "
		tail := "\r\n\r\n"
		return head + strings.Repeat("p", n-len(head)-len(tail)) + tail
	}
	if resp, body := rawExchange(t, app.URL, request(limit)); resp.StatusCode != http.StatusOK {
		t.Fatalf("headers of exactly %d bytes: %d %s", limit, resp.StatusCode, body)
	}
	resp, body := rawExchange(t, app.URL, request(limit+1))
	wantProblem(t, resp, body, http.StatusRequestHeaderFieldsTooLarge,
		fmt.Sprintf("the request headers are larger than %d bytes", limit))

	resp, body = rawExchange(t, app.URL, "GET /x HTTP/1.1\r\nHost: a\r\nBad Header Line\r\n\r\n")
	wantProblem(t, resp, body, http.StatusBadRequest, "the request could not be read: bad request")

	resp, body = rawExchange(t, app.URL, "GET /x HTTP/1.1\r\n\r\n")
	wantProblem(t, resp, body, http.StatusBadRequest, "missing required Host header")

	resp, body = rawExchange(t, app.URL, "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
	wantProblem(t, resp, body, http.StatusNotImplemented, "the request's Transfer-Encoding is not supported")

	// Answers from routing and handlers pass through as they were written.
	resp, body = rawExchange(t, app.URL, "GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n")
	wantProblem(t, resp, body, http.StatusNotFound, "no route matches /nowhere")
	if resp.Header.Get("Date") == "" {
		t.Fatal("a routed answer lost its Date header")
	}
	resp, body = rawExchange(t, app.URL, "GET /hijack HTTP/1.1\r\nHost: a\r\n\r\n")
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("X-Own") != "1" || body != "Unsupported transfer encoding" {
		t.Fatalf("a handler's own bytes were rewritten: %d %v %q", resp.StatusCode, resp.Header, body)
	}
}
