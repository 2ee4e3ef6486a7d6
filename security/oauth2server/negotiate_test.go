package oauth2server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestAuthorizeErrorsAsProblems pins the body of the authorization
// endpoint's refusals: an RFC 9457 problem for a client that asks for JSON,
// the HTML page for a browser and for a request without Accept.
func TestAuthorizeErrorsAsProblems(t *testing.T) {
	noCookie := authzQuery()
	noCookie.Set("username", "johndoe")
	noCookie.Set("password", "secret")
	noCookie.Set("form_token", "garbage")
	tests := []struct {
		name    string
		method  string
		target  string
		body    string
		accept  string
		status  int
		problem bool
		detail  string
	}{
		{name: "no client_id, JSON", method: http.MethodGet, target: "/authorize", accept: "application/json",
			status: 400, problem: true, detail: "The request has no client_id."},
		{name: "no client_id, problem+json", method: http.MethodGet, target: "/authorize", accept: "application/problem+json",
			status: 400, problem: true, detail: "The request has no client_id."},
		{name: "no client_id, JSON with parameters and q", method: http.MethodGet, target: "/authorize",
			accept: "application/json; charset=utf-8;q=0.9", status: 400, problem: true, detail: "The request has no client_id."},
		{name: "unregistered redirect_uri, JSON", method: http.MethodGet,
			target: "/authorize?" + url.Values{"client_id": {"swagger"}, "redirect_uri": {"http://evil.example/cb"}}.Encode(),
			accept: "application/json", status: 400, problem: true, detail: "The redirect_uri is not registered for this client."},
		{name: "JSON body, JSON", method: http.MethodPost, target: "/authorize", body: "{}", accept: "application/json",
			status: 400, problem: true, detail: "The sign-in form could not be read."},
		{name: "form without the cookie, JSON", method: http.MethodPost, target: "/authorize", body: noCookie.Encode(),
			accept: "application/json", status: 403, problem: true,
			detail: "This sign-in form has expired or did not come from this page. Please sign in again."},
		{name: "no client_id, browser", method: http.MethodGet, target: "/authorize",
			accept: "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8", status: 400},
		{name: "no client_id, no Accept", method: http.MethodGet, target: "/authorize", status: 400},
		{name: "no client_id, any type", method: http.MethodGet, target: "/authorize", accept: "*/*", status: 400},
		{name: "form without the cookie, browser", method: http.MethodPost, target: "/authorize", body: noCookie.Encode(),
			accept: "text/html", status: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			if tt.method == http.MethodPost {
				ct := formContentType
				if strings.HasPrefix(tt.body, "{") {
					ct = "application/json"
				}
				r.Header.Set("Content-Type", ct)
			}
			if tt.accept != "" {
				r.Header.Set("Accept", tt.accept)
			}
			w := httptest.NewRecorder()
			h.engine.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			ct := w.Header().Get("Content-Type")
			if !tt.problem {
				if !strings.HasPrefix(ct, "text/html") {
					t.Fatalf("Content-Type %q, want the HTML page", ct)
				}
				return
			}
			if ct != "application/problem+json" {
				t.Fatalf("Content-Type %q, want application/problem+json: %s", ct, w.Body)
			}
			var p struct {
				Status int    `json:"status"`
				Detail string `json:"detail"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
				t.Fatalf("body %s: %v", w.Body, err)
			}
			if p.Status != tt.status || p.Detail != tt.detail {
				t.Fatalf("problem %+v, want status %d and detail %q", p, tt.status, tt.detail)
			}
			if w.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", w.Header().Get("Cache-Control"))
			}
		})
	}
}
