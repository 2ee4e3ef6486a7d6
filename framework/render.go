package framework

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"github.com/gin-gonic/gin"
)

// writeJSON writes v as the JSON answer with status: the bytes and headers
// of gin's c.JSON, which uses encoding/json the same way, but without its
// two allocations per answer (the render value and the copy of the
// encoded bytes), and with a 500 problem instead of an empty 200 when v
// cannot be encoded, such as a float that is NaN.
func writeJSON(c *gin.Context, log *slog.Logger, status int, v any) {
	jw := jsonWriters.Get().(*jsonWriter)
	jw.c, jw.status = c, status
	err := jw.enc.Encode(v)
	jw.c = nil
	jsonWriters.Put(jw)
	if err != nil {
		writeError(c, log, fmt.Errorf("framework: writing the result as JSON: %w", err))
	}
}

// jsonContentType is gin's JSON content type.
var jsonContentType = []string{"application/json; charset=utf-8"}

// jsonWriter is a pooled json.Encoder that writes to the request at hand.
type jsonWriter struct {
	enc    *json.Encoder
	c      *gin.Context
	status int
}

var jsonWriters = sync.Pool{New: func() any {
	jw := &jsonWriter{}
	jw.enc = json.NewEncoder(jw)
	return jw
}}

// Write receives the encoded value in one piece: json.Encoder writes only
// once it has encoded the whole value, so an encoding error leaves the
// answer unwritten, and Encode's error is always one. The newline the encoder ends with is dropped, as json.Marshal
// has none.
func (jw *jsonWriter) Write(b []byte) (int, error) {
	n := len(b)
	if n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	w := jw.c.Writer
	if h := w.Header(); len(h["Content-Type"]) == 0 {
		h["Content-Type"] = jsonContentType
	}
	w.WriteHeader(jw.status)
	// A failed write means the client went away; there is no one left to
	// answer, so the error is not the encoder's to report.
	_, _ = w.Write(b)
	return n, nil
}
