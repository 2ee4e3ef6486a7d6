package framework

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/portcullis/portcullis/internal/problem"
)

// net/http answers some requests itself, before any handler runs: headers
// over the server's limit (431), a request line or header it cannot parse
// (400), an unsupported transfer encoding (501). It writes those answers in
// plain text, straight to the connection, in one write of a fixed form:
//
//	HTTP/1.1 <code> <reason>[: <text>]\r\n
//	Content-Type: text/plain; charset=utf-8\r\n
//	Connection: close\r\n
//	\r\n
//	<body>
//
// The framework's listener wraps each connection and turns a write of
// exactly that form into the same status as problem+json, so these refusals
// read like every other. Any other write passes through untouched; an
// answer from a handler always carries a Date header, so it cannot take
// that form.

// earlyHeaders are the headers of net/http's own answers.
const earlyHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// problemListener wraps the connections it accepts in problemConn.
type problemListener struct {
	net.Listener
	headerLimit int
}

// Accept waits for the next connection and wraps it.
func (l problemListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &problemConn{Conn: c, headerLimit: l.headerLimit}, nil
}

// problemConn rewrites net/http's own plain-text refusals as problem+json.
type problemConn struct {
	net.Conn
	headerLimit int
}

// Write writes p, or its problem+json form when p is one of net/http's own
// refusals.
func (c *problemConn) Write(p []byte) (int, error) {
	if len(p) < 1024 && (bytes.HasPrefix(p, []byte("HTTP/1.1 4")) || bytes.HasPrefix(p, []byte("HTTP/1.1 5"))) {
		if out, ok := earlyProblem(p, c.headerLimit); ok {
			if _, err := c.Conn.Write(out); err != nil {
				return 0, err
			}
			return len(p), nil
		}
	}
	return c.Conn.Write(p)
}

// ReadFrom lets net/http copy files to the connection with the system's
// sendfile when the connection supports it.
func (c *problemConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

// CloseWrite half-closes the connection, as net/http does after a 431.
func (c *problemConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// earlyProblem returns the problem+json form of one of net/http's own
// refusals, or false when p is not one.
func earlyProblem(p []byte, headerLimit int) ([]byte, bool) {
	rest := p[len("HTTP/1.1 "):]
	i := bytes.Index(rest, []byte(earlyHeaders))
	if i < 4 || rest[3] != ' ' || bytes.IndexByte(rest[:i], '\n') >= 0 {
		// Not one status line followed by exactly net/http's headers.
		return nil, false
	}
	status, body := string(rest[:i]), string(rest[i+len(earlyHeaders):])
	code, err := strconv.Atoi(status[:3])
	if err != nil || code < 400 || code > 599 || http.StatusText(code) == "" {
		return nil, false
	}
	var detail string
	switch {
	case body == "Unsupported transfer encoding":
		detail = "the request's Transfer-Encoding is not supported"
	case body != status:
		return nil, false
	case code == http.StatusRequestHeaderFieldsTooLarge && headerLimit > 0:
		detail = fmt.Sprintf("the request headers are larger than %d bytes", headerLimit)
	case strings.Contains(status, ": "):
		_, detail, _ = strings.Cut(status, ": ")
	default:
		detail = "the request could not be read: " + strings.ToLower(status[4:])
	}
	js, err := json.Marshal(problem.New(code, detail))
	if err != nil {
		return nil, false
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\nContent-Length: %d\r\n\r\n",
		code, http.StatusText(code), problem.ContentType, len(js))
	b.Write(js)
	return b.Bytes(), true
}
