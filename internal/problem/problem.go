// Package problem writes RFC 9457 problem details. Both the framework and the
// security package render their errors through it, so every error body the
// project produces has one shape.
package problem

import (
	"encoding/json"
	"net/http"
)

// ContentType is the media type of a problem details body.
const ContentType = "application/problem+json"

// Details is an RFC 9457 problem details object. Detail is always written,
// because clients written for FastAPI read it.
type Details struct {
	Type     string       `json:"type,omitempty"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail"`
	Instance string       `json:"instance,omitempty"`
	Errors   []FieldError `json:"errors,omitempty"`
}

// FieldError describes one invalid input field of a 422 answer.
type FieldError struct {
	// Location is where the field came from: path, query, header, cookie, body or form.
	Location string `json:"location"`
	// Field is the field's name on the wire.
	Field string `json:"field"`
	// Message says what is wrong with the value.
	Message string `json:"message"`
}

// New returns problem details for status with the standard title.
func New(status int, detail string) *Details {
	title := http.StatusText(status)
	if title == "" {
		title = "Error"
	}
	return &Details{Type: "about:blank", Title: title, Status: status, Detail: detail}
}

// Write writes d to w with the problem+json content type. Headers set on w
// before the call are kept.
func Write(w http.ResponseWriter, d *Details) {
	body, err := json.Marshal(d)
	if err != nil {
		// Details holds only strings and ints; marshalling cannot fail.
		body = []byte(`{"title":"Internal Server Error","status":500,"detail":"internal error"}`)
		d.Status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(d.Status)
	_, _ = w.Write(body) // the client went away; nothing else to do
}
