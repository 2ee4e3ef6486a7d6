package security

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestStaticKeys(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		key  string
		want bool
	}{
		{name: "first key", keys: []string{"alpha", "beta", "gamma"}, key: "alpha", want: true},
		{name: "middle key", keys: []string{"alpha", "beta", "gamma"}, key: "beta", want: true},
		{name: "last key", keys: []string{"alpha", "beta", "gamma"}, key: "gamma", want: true},
		{name: "unknown key", keys: []string{"alpha", "beta"}, key: "delta"},
		{name: "prefix of a key", keys: []string{"alpha"}, key: "alph"},
		{name: "key with a suffix", keys: []string{"alpha"}, key: "alphabet"},
		{name: "case differs", keys: []string{"alpha"}, key: "ALPHA"},
		{name: "no keys", key: "alpha"},
		{name: "empty key against no keys", key: ""},
		{name: "duplicate keys", keys: []string{"alpha", "alpha"}, key: "alpha", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := StaticKeys(tt.keys...)(context.Background(), tt.key)
			if err != nil || ok != tt.want {
				t.Errorf("StaticKeys(%q)(%q) = %v, %v; want %v", tt.keys, tt.key, ok, err, tt.want)
			}
		})
	}
}

// TestStaticKeysCopiesKeys checks that changing the caller's slice later
// changes nothing: the keys are hashed when StaticKeys is called.
func TestStaticKeysCopiesKeys(t *testing.T) {
	keys := []string{"alpha"}
	validate := StaticKeys(keys...)
	keys[0] = "beta"
	for key, want := range map[string]bool{"alpha": true, "beta": false} {
		if ok, _ := validate(context.Background(), key); ok != want {
			t.Errorf("validate(%q) = %v, want %v", key, ok, want)
		}
	}
}

func TestAPIKeyValidate(t *testing.T) {
	errStore := errors.New("key store down")
	type ctxKey struct{}
	tests := []struct {
		name     string
		validate func(ctx context.Context, key string) (bool, error)
		wantKey  string
		wantErr  error
		refusal  bool
	}{
		{name: "nil validate accepts any key", wantKey: "anything"},
		{
			name:     "validator sees the request context",
			validate: func(ctx context.Context, k string) (bool, error) { return ctx.Value(ctxKey{}) == "v", nil },
			wantKey:  "anything",
		},
		{
			name:     "rejected",
			validate: func(context.Context, string) (bool, error) { return false, nil },
			wantErr:  ErrInvalidCredentials, refusal: true,
		},
		{
			name:     "validator fails",
			validate: func(context.Context, string) (bool, error) { return true, errStore },
			wantErr:  errStore,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/?api_key=anything", nil)
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "v"))
			r.Header.Set("X-API-Key", "anything")
			r.AddCookie(&http.Cookie{Name: "api_key", Value: "anything"})
			schemes := map[string]Scheme{
				"header": APIKeyHeader{Name: "X-API-Key", Validate: tt.validate},
				"query":  APIKeyQuery{Name: "api_key", Validate: tt.validate},
				"cookie": APIKeyCookie{Name: "api_key", Validate: tt.validate},
			}
			for in, s := range schemes {
				got, err := s.Authenticate(r)
				if tt.wantErr == nil {
					if err != nil || confKeyOf(got) != tt.wantKey {
						t.Errorf("%s: got %v, %v; want key %q", in, got, err, tt.wantKey)
					}
					continue
				}
				var se *Error
				if !errors.Is(err, tt.wantErr) || errors.As(err, &se) != tt.refusal {
					t.Errorf("%s: err = %v, want it to wrap %v (refusal %v)", in, err, tt.wantErr, tt.refusal)
				}
				if !tt.refusal {
					w := httptest.NewRecorder()
					WriteError(w, err)
					if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), errStore.Error()) {
						t.Errorf("%s: WriteError = %d %s, want a 500 without the cause", in, w.Code, w.Body)
					}
				}
			}
		})
	}
}

func TestAPIKeyExtraction(t *testing.T) {
	tests := []struct {
		name    string
		scheme  Scheme
		build   func(r *http.Request)
		target  string
		wantKey string
		wantErr error
	}{
		{
			name: "header", scheme: APIKeyHeader{Name: "X-API-Key"},
			build: func(r *http.Request) { r.Header.Set("x-api-key", "k1") }, wantKey: "k1",
		},
		{
			name: "empty header is missing", scheme: APIKeyHeader{Name: "X-API-Key"},
			build: func(r *http.Request) { r.Header.Set("X-API-Key", "") }, wantErr: ErrNoCredentials,
		},
		{
			name: "repeated header", scheme: APIKeyHeader{Name: "X-API-Key"},
			build:   func(r *http.Request) { r.Header.Add("X-API-Key", "k1"); r.Header.Add("X-API-Key", "k2") },
			wantErr: ErrMalformedCredentials,
		},
		{name: "query", scheme: APIKeyQuery{Name: "api_key"}, target: "/?api_key=k%2B1", wantKey: "k+1"},
		{name: "empty query is missing", scheme: APIKeyQuery{Name: "api_key"}, target: "/?api_key=", wantErr: ErrNoCredentials},
		{
			name: "repeated query", scheme: APIKeyQuery{Name: "api_key"}, target: "/?api_key=k1&api_key=k2",
			wantErr: ErrMalformedCredentials,
		},
		{
			name: "query name is case-sensitive", scheme: APIKeyQuery{Name: "api_key"}, target: "/?API_KEY=k1",
			wantErr: ErrNoCredentials,
		},
		{
			name: "cookie", scheme: APIKeyCookie{Name: "api_key"},
			build: func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "api_key", Value: "k1"}) }, wantKey: "k1",
		},
		{
			name: "first of two cookies", scheme: APIKeyCookie{Name: "api_key"},
			build:   func(r *http.Request) { r.Header.Set("Cookie", "api_key=k1; other=x; api_key=k2") },
			wantKey: "k1",
		},
		{
			name: "empty cookie is missing", scheme: APIKeyCookie{Name: "api_key"},
			build: func(r *http.Request) { r.Header.Set("Cookie", "api_key=") }, wantErr: ErrNoCredentials,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := tt.target
			if target == "" {
				target = "/"
			}
			r := httptest.NewRequest(http.MethodGet, target, nil)
			if tt.build != nil {
				tt.build(r)
			}
			got, err := tt.scheme.Authenticate(r)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil || confKeyOf(got) != tt.wantKey {
				t.Fatalf("got %v, %v; want key %q", got, err, tt.wantKey)
			}
		})
	}
}

func BenchmarkSchemeAuthenticate(b *testing.B) {
	for _, tc := range conformanceCases {
		b.Run(tc.name, func(b *testing.B) {
			r := tc.valid(b)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := tc.scheme.Authenticate(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
