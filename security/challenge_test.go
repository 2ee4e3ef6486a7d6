package security

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestQuoteAuthParam(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `""`},
		{"plain", "example", `"example"`},
		{"quote", `a"b`, `"a\"b"`},
		{"backslash", `a\b`, `"a\\b"`},
		{"tab kept", "a\tb", "\"a\tb\""},
		{"newlines dropped", "a\r\nb", `"ab"`},
		{"nul and del dropped", "a\x00b\x7f", `"ab"`},
		{"utf-8 kept", "Zoë", `"Zoë"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quoteAuthParam(tt.in); got != tt.want {
				t.Errorf("quoteAuthParam(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatChallenge(t *testing.T) {
	tests := []struct {
		name   string
		scheme string
		params []authParam
		want   string
	}{
		{"no params", "APIKey", nil, "APIKey"},
		{"one param", "Basic", []authParam{{"realm", "x"}}, `Basic realm="x"`},
		{"two params", "Basic", []authParam{{"realm", "x"}, {"charset", "UTF-8"}}, `Basic realm="x", charset="UTF-8"`},
		{"empty value kept", "Basic", []authParam{{"realm", ""}}, `Basic realm=""`},
		{"unnamed param skipped", "Bearer", []authParam{{"", "x"}, {"error", "e"}}, `Bearer error="e"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatChallenge(tt.scheme, tt.params...); got != tt.want {
				t.Errorf("formatChallenge = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestReadAuthorization(t *testing.T) {
	tests := []struct {
		name               string
		headers            []string
		wantScheme, wantCr string
		wantKind           error
	}{
		{name: "none", wantKind: ErrNoCredentials},
		{name: "blank", headers: []string{" \t "}, wantKind: ErrNoCredentials},
		{name: "scheme only", headers: []string{"Negotiate"}, wantScheme: "Negotiate"},
		{name: "scheme and token", headers: []string{"Bearer abc"}, wantScheme: "Bearer", wantCr: "abc"},
		{name: "params keep inner spaces", headers: []string{`Digest  a="1", b=2 `}, wantScheme: "Digest", wantCr: `a="1", b=2`},
		{name: "two headers", headers: []string{"Bearer a", "Basic b"}, wantKind: ErrMalformedCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			for _, h := range tt.headers {
				r.Header.Add("Authorization", h)
			}
			scheme, cred, kind, _ := readAuthorization(r)
			if scheme != tt.wantScheme || cred != tt.wantCr || kind != tt.wantKind {
				t.Errorf("readAuthorization = %q, %q, %v; want %q, %q, %v",
					scheme, cred, kind, tt.wantScheme, tt.wantCr, tt.wantKind)
			}
		})
	}
}
