package security

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestAuthenticated(t *testing.T) {
	errCause := errors.New("cause")
	tests := []struct {
		name    string
		err     error
		wantKey string
	}{
		{name: "success returns the filled-in copy", wantKey: "k1"},
		{name: "failure returns nil and the error", err: errCause},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := APIKeyHeader{Name: "X-API-Key", key: "k1"}
			got, err := authenticated(&s, tt.err)
			if tt.err != nil {
				if got != nil || !errors.Is(err, tt.err) {
					t.Fatalf("authenticated = %v, %v; want nil, %v", got, err, tt.err)
				}
				return
			}
			h, ok := got.(APIKeyHeader)
			if err != nil || !ok || h.Key() != tt.wantKey || h.Name != s.Name {
				t.Fatalf("authenticated = %#v, %v; want an APIKeyHeader with key %q", got, err, tt.wantKey)
			}
		})
	}
}

func TestAPIKeyValue(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		query        string
		build        func(r *http.Request)
		wantKey      string
		wantRepeated bool
		wantWhere    string
	}{
		{
			name: "header", in: apiKeyInHeader, build: func(r *http.Request) { r.Header.Set("X-API-Key", "k1") },
			wantKey: "k1", wantWhere: "header X-API-Key",
		},
		{name: "no header", in: apiKeyInHeader, wantWhere: "header X-API-Key"},
		{
			name: "repeated empty header", in: apiKeyInHeader,
			build:        func(r *http.Request) { r.Header.Add("X-API-Key", ""); r.Header.Add("X-API-Key", "") },
			wantRepeated: true, wantWhere: "header X-API-Key",
		},
		{name: "query", in: apiKeyInQuery, query: "?X-API-Key=k1", wantKey: "k1", wantWhere: "query parameter X-API-Key"},
		{
			name: "repeated query", in: apiKeyInQuery, query: "?X-API-Key=k1&X-API-Key=k2",
			wantKey: "k1", wantRepeated: true, wantWhere: "query parameter X-API-Key",
		},
		{
			name: "request without URL", in: apiKeyInQuery, query: "?X-API-Key=k1",
			build: func(r *http.Request) { r.URL = nil }, wantWhere: "query parameter X-API-Key",
		},
		{
			name: "cookie", in: apiKeyInCookie, build: func(r *http.Request) { r.Header.Set("Cookie", "X-API-Key=k1") },
			wantKey: "k1", wantWhere: "cookie X-API-Key",
		},
		{
			name: "two cookies are not repeated", in: apiKeyInCookie,
			build:   func(r *http.Request) { r.Header.Set("Cookie", "X-API-Key=k1; X-API-Key=k2") },
			wantKey: "k1", wantWhere: "cookie X-API-Key",
		},
		{name: "no cookie", in: apiKeyInCookie, wantWhere: "cookie X-API-Key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/"+tt.query, nil)
			if tt.build != nil {
				tt.build(r)
			}
			key, repeated := apiKeyValue(r, tt.in, "X-API-Key")
			where := apiKeyWhere(tt.in, "X-API-Key")
			if key != tt.wantKey || repeated != tt.wantRepeated || where != tt.wantWhere {
				t.Errorf("apiKeyValue = %q, %v, %q; want %q, %v, %q",
					key, repeated, where, tt.wantKey, tt.wantRepeated, tt.wantWhere)
			}
		})
	}
}

// TestReadHelpersStore checks what the shared Authenticate steps leave in
// the credential they fill in: the new credential on success, "" for a
// missing one in optional mode, and the old value untouched on a refusal.
func TestReadHelpersStore(t *testing.T) {
	reject := func(context.Context, string) (bool, error) { return false, nil }
	tests := []struct {
		name     string
		header   map[string][]string
		optional bool
		read     func(dst *string, r *http.Request, optional bool) error
		want     string
		wantErr  error
	}{
		{
			name:   "API key accepted",
			header: map[string][]string{"X-Api-Key": {"k1"}},
			read:   readHeaderKey(nil), want: "k1",
		},
		{name: "API key missing, optional", optional: true, read: readHeaderKey(nil), want: ""},
		{name: "API key missing", read: readHeaderKey(nil), want: "stale", wantErr: ErrNoCredentials},
		{
			name:   "API key repeated, optional",
			header: map[string][]string{"X-Api-Key": {"k1", "k2"}}, optional: true,
			read: readHeaderKey(nil), want: "stale", wantErr: ErrMalformedCredentials,
		},
		{
			name:   "API key rejected, optional",
			header: map[string][]string{"X-Api-Key": {"k1"}}, optional: true,
			read: readHeaderKey(reject), want: "stale", wantErr: ErrInvalidCredentials,
		},
		{
			name:   "bearer token",
			header: map[string][]string{"Authorization": {"Bearer t1"}},
			read:   readOAuth2Token, want: "t1",
		},
		{name: "bearer token missing, optional", optional: true, read: readOAuth2Token, want: ""},
		{name: "bearer token missing", read: readOAuth2Token, want: "stale", wantErr: ErrNoCredentials},
		{
			name:   "bearer token malformed, optional",
			header: map[string][]string{"Authorization": {"Bearer a b"}}, optional: true,
			read: readOAuth2Token, want: "stale", wantErr: ErrMalformedCredentials,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			for k, vs := range tt.header {
				r.Header[k] = vs
			}
			got := "stale"
			err := tt.read(&got, r, tt.optional)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("stored %q, want %q", got, tt.want)
			}
		})
	}
}

// readHeaderKey adapts readAPIKey for a header named X-API-Key to the shape
// readOAuth2Token has.
func readHeaderKey(validate func(context.Context, string) (bool, error)) func(*string, *http.Request, bool) error {
	return func(dst *string, r *http.Request, optional bool) error {
		return readAPIKey(dst, r, apiKeyInHeader, "X-API-Key", optional, validate)
	}
}
