package framework

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
)

// FuzzEarlyProblem: whatever bytes the listener is asked to write, it
// either leaves them alone or writes a well-formed problem+json answer
// with the status the bytes started with.
func FuzzEarlyProblem(f *testing.F) {
	f.Add([]byte("HTTP/1.1 431 Request Header Fields Too Large" + earlyHeaders + "431 Request Header Fields Too Large"))
	f.Add([]byte("HTTP/1.1 400 Bad Request: missing required Host header" + earlyHeaders + "400 Bad Request: missing required Host header"))
	f.Add([]byte("HTTP/1.1 501 Not Implemented" + earlyHeaders + "Unsupported transfer encoding"))
	f.Add([]byte("HTTP/1.1 400 Bad Request\r\nX-Own: 1" + earlyHeaders + "Unsupported transfer encoding"))
	f.Add([]byte("HTTP/1.1 404 Not Found\r\nDate: now\r\n\r\n"))
	f.Fuzz(func(t *testing.T, p []byte) {
		if !bytes.HasPrefix(p, []byte("HTTP/1.1 ")) || len(p) < len("HTTP/1.1 ")+4 {
			return
		}
		out, ok := earlyProblem(p, 8192)
		if !ok {
			return
		}
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out)), nil)
		if err != nil {
			t.Fatalf("rewrote %q into an unreadable answer %q: %v", p, out, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := strconv.Atoi(string(p[len("HTTP/1.1 ") : len("HTTP/1.1 ")+3]))
		var pr struct {
			Status int    `json:"status"`
			Detail string `json:"detail"`
		}
		if resp.StatusCode != want || resp.Header.Get("Content-Type") != "application/problem+json" ||
			json.Unmarshal(body, &pr) != nil || pr.Status != want || pr.Detail == "" {
			t.Fatalf("rewrote %q into %d %q %s", p, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	})
}
