package oauth2server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDuplicateAuthorizationHeaders pins that the token endpoint refuses a
// request with two Authorization headers instead of reading the first one,
// whatever the order and whether or not the first one is valid.
func TestDuplicateAuthorizationHeaders(t *testing.T) {
	good := basicAuth("confidential", confidentialSecret)
	tests := []struct {
		name    string
		headers []string
	}{
		{name: "the same valid Basic twice", headers: []string{good, good}},
		{name: "valid Basic then another client", headers: []string{good, basicAuth("ghost", "x")}},
		{name: "another client then valid Basic", headers: []string{basicAuth("ghost", "x"), good}},
		{name: "bearer then valid Basic", headers: []string{"Bearer abc", good}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader("grant_type=client_credentials"))
			r.Header.Set("Content-Type", formContentType)
			for _, v := range tt.headers {
				r.Header.Add("Authorization", v)
			}
			w := httptest.NewRecorder()
			h.engine.ServeHTTP(w, r)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", w.Code, w.Body)
			}
			e := decodeError(t, w)
			if e.Error != codeInvalidRequest || e.ErrorDescription != "the request has more than one Authorization header" {
				t.Fatalf("error %+v, want invalid_request about the repeated header", e)
			}
			if h.issuer.count() != 0 {
				t.Fatalf("a token was issued")
			}
		})
	}
	t.Run("one valid Basic header still works", func(t *testing.T) {
		h := newHarness(t, nil)
		w := h.do(req{basic: good, body: "grant_type=client_credentials"})
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
	})
}
