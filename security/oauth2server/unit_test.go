package oauth2server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestNewConfigErrors(t *testing.T) {
	base := func() Config {
		codes, refresh := NewMemoryStores()
		return Config{Users: &fakeUsers{}, Clients: fakeClients{}, Codes: codes, Refresh: refresh,
			Issuer: &fakeIssuer{}, Hasher: &countingHasher{}}
	}
	tests := []struct {
		name string
		edit func(*Config)
		want string // part of the message; empty means New succeeds
	}{
		{"complete", func(*Config) {}, ""},
		{"password grant only", func(c *Config) { c.Clients, c.Codes, c.Refresh = nil, nil, nil }, ""},
		{"client credentials only", func(c *Config) { c.Users, c.Codes, c.Refresh = nil, nil, nil }, ""},
		{"no issuer", func(c *Config) { c.Issuer = nil }, "Issuer is nil"},
		{"no hasher", func(c *Config) { c.Hasher = nil }, "Hasher is nil"},
		{"no stores", func(c *Config) { c.Users, c.Clients = nil, nil }, "Users and Clients are both nil"},
		{"codes without clients", func(c *Config) { c.Clients = nil }, "Codes needs both Users and Clients"},
		{"refresh without users", func(c *Config) { c.Users, c.Codes = nil, nil }, "Refresh needs Users"},
		{"negative TTL", func(c *Config) { c.CodeTTL = -time.Second }, "CodeTTL is negative"},
		{"negative burst", func(c *Config) { c.LoginBurst = -1 }, "must not be negative"},
		{"short form key", func(c *Config) { c.FormKey = []byte("short") }, "FormKey has 5 bytes"},
		{"bad known scope", func(c *Config) { c.KnownScopes = []string{"a b"} }, `KnownScopes holds "a b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base()
			tt.edit(&cfg)
			s, err := New(cfg)
			if tt.want == "" {
				if err != nil || s == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want ErrInvalidConfig mentioning %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "oauth2server: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestSentinelText(t *testing.T) {
	for _, err := range []error{ErrInvalidConfig, ErrDuplicate, ErrStoreFull} {
		t.Run(err.Error(), func(t *testing.T) {
			if !strings.HasPrefix(err.Error(), "oauth2server: ") {
				t.Errorf("%q does not start with the package name", err)
			}
			wrapped := fmt.Errorf("context: %w", err)
			if !errors.Is(wrapped, err) {
				t.Error("errors.Is does not see through a wrap")
			}
		})
	}
}

func TestPKCE(t *testing.T) {
	tests := []struct {
		name      string
		verifier  string
		challenge string
		want      bool
	}{
		{"RFC 7636 appendix B", rfcVerifier, rfcChallenge, true},
		{"other verifier", strings.Repeat("a", 43), rfcChallenge, false},
		{"verifier too short", rfcVerifier[:42], s256(rfcVerifier[:42]), false},
		{"verifier too long", strings.Repeat("a", 129), s256(strings.Repeat("a", 129)), false},
		{"longest verifier", strings.Repeat("a", 128), s256(strings.Repeat("a", 128)), true},
		{"verifier with a reserved character", strings.Repeat("a", 42) + "/", s256(strings.Repeat("a", 42) + "/"), false},
		{"plain method's challenge", rfcVerifier, rfcVerifier, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verifyPKCE(tt.verifier, tt.challenge); got != tt.want {
				t.Errorf("verifyPKCE = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	t.Run("bounded", func(t *testing.T) {
		l := newLimiter(rate.Every(time.Hour), 1, 3)
		for i := range 10 {
			if d := l.wait(fmt.Sprint("key", i), now); d != 0 {
				t.Fatalf("first attempt of key%d waits %v", i, d)
			}
		}
		if l.len() != 3 {
			t.Errorf("limiter holds %d keys, want 3", l.len())
		}
		// key9 is remembered and exhausted; key0 was forgotten.
		if d := l.wait("key9", now); d != time.Hour {
			t.Errorf("key9 waits %v, want 1h", d)
		}
		if d := l.wait("key0", now); d != 0 {
			t.Errorf("key0 waits %v, want 0 after eviction", d)
		}
	})
	t.Run("refused attempts are free", func(t *testing.T) {
		l := newLimiter(rate.Every(10*time.Second), 1, 10)
		l.wait("k", now)
		for range 5 {
			l.wait("k", now)
		}
		if d := l.wait("k", now.Add(10*time.Second)); d != 0 {
			t.Errorf("after one period the key waits %v, want 0", d)
		}
	})
	t.Run("Retry-After rounds up", func(t *testing.T) {
		for _, tc := range []struct {
			d    time.Duration
			want int
		}{{time.Millisecond, 1}, {time.Second, 1}, {1500 * time.Millisecond, 2}, {time.Minute, 60}} {
			if got := retryAfterSeconds(tc.d); got != tc.want {
				t.Errorf("retryAfterSeconds(%v) = %d, want %d", tc.d, got, tc.want)
			}
		}
	})
}

func TestTokenRateLimit(t *testing.T) {
	tests := []struct {
		name string
		// second is the next request after one attempt of johndoe from
		// 192.0.2.1.
		second     req
		wantStatus int
		wantRetry  string
	}{
		{name: "same address", second: req{body: "username=ghost&password=x", remote: "192.0.2.1:1"},
			wantStatus: 429, wantRetry: "20"},
		{name: "same username from another address", second: req{body: "username=JohnDoe&password=x", remote: "192.0.2.2:1"},
			wantStatus: 429, wantRetry: "20"},
		{name: "other username and address", second: req{body: "username=ghost&password=x", remote: "192.0.2.3:1"},
			wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.LoginRate, c.LoginBurst = rate.Every(20*time.Second), 1 })
			decodeToken(t, h.do(req{body: "username=johndoe&password=secret", remote: "192.0.2.1:1"}))
			h.hasher.reset()
			w := h.do(tt.second)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if got := w.Header().Get("Retry-After"); got != tt.wantRetry {
				t.Errorf("Retry-After %q, want %q", got, tt.wantRetry)
			}
			if tt.wantStatus != 429 {
				return
			}
			checkNoStore(t, w)
			if er := decodeError(t, w); er.Error != codeSlowDown {
				t.Errorf("error %q, want slow_down", er.Error)
			}
			if h.hasher.verifications() != 0 {
				t.Error("a limited request still hashed a password")
			}
			h.clock.Advance(20 * time.Second)
			if w := h.do(tt.second); w.Code == 429 {
				t.Errorf("still limited after the period: %s", w.Body)
			}
		})
	}
}

// TestTokenRequestNeverServerError runs hostile inputs through the whole
// endpoint; FuzzTokenRequest does the same with generated ones.
func TestTokenRequestNeverServerError(t *testing.T) {
	h := newHarness(t, nil)
	for _, s := range fuzzSeeds {
		t.Run(fmt.Sprintf("%.40q", s.body), func(t *testing.T) {
			checkFuzzAnswer(t, h, s.body, s.contentType, s.auth)
		})
	}
}

var fuzzSeeds = []struct{ body, contentType, auth string }{
	{"username=johndoe&password=secret", formContentType, ""},
	{"grant_type=client_credentials", formContentType, basicAuth("confidential", confidentialSecret)},
	{"grant_type=refresh_token&refresh_token=x", formContentType, ""},
	{"grant_type=authorization_code&code=x&client_id=swagger&redirect_uri=x&code_verifier=" + rfcVerifier, formContentType, ""},
	{"grant_type=%00&scope=%ff%fe", formContentType + ";charset=utf-8", "Basic Og=="},
	{"a=1&a=2&;;&&==", formContentType, "Basic %%%"},
	{url.Values{"username": {strings.Repeat("é", 300)}, "password": {"x"}}.Encode(), formContentType, "Bearer x"},
	{"{}", "application/json", ""},
	{"", "", ""},
}

func checkFuzzAnswer(t *testing.T, h *harness, body, contentType, auth string) {
	t.Helper()
	hr, err := http.NewRequest(http.MethodPost, "/token", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Set("Content-Type", contentType)
	if auth != "" {
		hr.Header.Set("Authorization", auth)
	}
	w := newRecorder()
	h.engine.ServeHTTP(w, hr)
	if w.Code >= 500 {
		t.Fatalf("status %d for body %q type %q auth %q: %s", w.Code, body, contentType, auth, w.Body)
	}
	if w.Code != http.StatusOK {
		decodeError(t, w)
	}
}
