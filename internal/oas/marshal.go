package oas

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// Marshal encodes doc as indented JSON ending with a newline. Object keys
// are sorted, as kin-openapi's encoders produce maps, so the same document
// always gives the same bytes. HTML characters are not escaped: the
// result is served as application/json, never embedded in HTML.
func Marshal(doc *openapi3.T) ([]byte, error) {
	if doc == nil {
		return nil, fmt.Errorf("%w: nil document", ErrInvalidDocument)
	}
	compact, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	// Decode into generic values and encode again, so that every level is
	// indented the same way and keys are sorted by encoding/json.
	var v any
	dec := json.NewDecoder(bytes.NewReader(compact))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	return buf.Bytes(), nil
}
