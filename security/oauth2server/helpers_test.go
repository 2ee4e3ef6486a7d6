package oauth2server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/portcullis/portcullis/security/password"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// cheapParams keep argon2 fast in tests; the benchmark uses the defaults.
var cheapParams = password.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// countingHasher wraps the real hasher and counts the operations, so that
// tests compare the work of two paths without a clock.
type countingHasher struct {
	PasswordHasher
	verify, dummy, hash atomic.Int64
}

func (h *countingHasher) Verify(ctx context.Context, encoded, pw string) (bool, bool, error) {
	h.verify.Add(1)
	return h.PasswordHasher.Verify(ctx, encoded, pw)
}

func (h *countingHasher) VerifyDummy(ctx context.Context, pw string) {
	h.dummy.Add(1)
	h.PasswordHasher.VerifyDummy(ctx, pw)
}

func (h *countingHasher) Hash(ctx context.Context, pw string) (string, error) {
	h.hash.Add(1)
	return h.PasswordHasher.Hash(ctx, pw)
}

func (h *countingHasher) reset() {
	h.verify.Store(0)
	h.dummy.Store(0)
	h.hash.Store(0)
}

// verifications is the number of password verifications, dummy or real.
func (h *countingHasher) verifications() int64 { return h.verify.Load() + h.dummy.Load() }

// fakeUsers is a UserStore over a map.
type fakeUsers struct {
	mu      sync.Mutex
	users   map[string]User
	updates map[string]string
	fail    error
}

func (f *fakeUsers) LookupUser(_ context.Context, name string) (User, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return User{}, false, f.fail
	}
	u, ok := f.users[name]
	return u, ok, nil
}

func (f *fakeUsers) UpdatePasswordHash(_ context.Context, name, h string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.users[name]
	u.PasswordHash = h
	f.users[name] = u
	f.updates[name] = h
	return nil
}

func (f *fakeUsers) set(name string, edit func(*User)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.users[name]
	edit(&u)
	f.users[name] = u
}

// fakeClients is a ClientStore over a map.
type fakeClients map[string]Client

func (f fakeClients) LookupClient(_ context.Context, id string) (Client, bool, error) {
	c, ok := f[id]
	return c, ok, nil
}

// issueCall records one IssueAccessToken call.
type issueCall struct {
	subject, clientID string
	scopes            []string
}

// fakeIssuer hands out numbered tokens and records what it was asked.
type fakeIssuer struct {
	mu    sync.Mutex
	calls []issueCall
	fail  error
}

func (f *fakeIssuer) IssueAccessToken(_ context.Context, subject, clientID string, scopes []string) (string, time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return "", 0, f.fail
	}
	f.calls = append(f.calls, issueCall{subject, clientID, slices.Clone(scopes)})
	return fmt.Sprintf("at-%d", len(f.calls)), 30 * time.Minute, nil
}

func (f *fakeIssuer) last() issueCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		return issueCall{}
	}
	return f.calls[len(f.calls)-1]
}

func (f *fakeIssuer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// clock is an injectable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Test fixtures. The confidential client's secret holds ':' and '%', which
// HTTP Basic needs encoded.
const (
	confidentialSecret = "s3:cr%et+/é"
	swaggerRedirect    = "http://127.0.0.1/docs/oauth2-redirect.html"
	otherRedirect      = "http://127.0.0.1/other/callback?keep=1"
)

// harness is a Server with fakes, mounted on a gin engine.
type harness struct {
	srv     *Server
	engine  *gin.Engine
	users   *fakeUsers
	clients fakeClients
	issuer  *fakeIssuer
	hasher  *countingHasher
	codes   *MemoryCodes
	refresh *MemoryRefresh
	clock   *clock
}

func hashOf(t testing.TB, h PasswordHasher, pw string) string {
	t.Helper()
	enc, err := h.Hash(context.Background(), pw)
	if err != nil {
		t.Fatalf("hash: %v", err)
	}
	return enc
}

// newHarness builds a server with users johndoe (me, items), alice
// (disabled) and olduser (hash with other parameters), and the clients
// confidential, swagger (public), passwordonly and nocode.
func newHarness(t testing.TB, edit func(*Config)) *harness {
	t.Helper()
	hasher := &countingHasher{PasswordHasher: password.New(password.WithParams(cheapParams))}
	oldParams := cheapParams
	oldParams.Iterations = 2
	oldHasher := password.New(password.WithParams(oldParams))
	users := &fakeUsers{
		users: map[string]User{
			"johndoe": {Subject: "sub-john", PasswordHash: hashOf(t, hasher, "secret"), Scopes: []string{"me", "items"}},
			"alice":   {Subject: "sub-alice", PasswordHash: hashOf(t, hasher, "secret2"), Scopes: []string{"me"}, Disabled: true},
			"olduser": {Subject: "sub-old", PasswordHash: hashOf(t, oldHasher, "oldpw"), Scopes: []string{"me"}},
		},
		updates: map[string]string{},
	}
	clients := fakeClients{
		"confidential": {ID: "confidential", SecretHash: hashOf(t, hasher, confidentialSecret), Scopes: []string{"items", "reports"},
			RedirectURIs: []string{otherRedirect}},
		"swagger": {ID: "swagger", Public: true, Scopes: []string{"me", "items"},
			RedirectURIs: []string{swaggerRedirect, otherRedirect}},
		"svc:reports": {ID: "svc:reports", SecretHash: hashOf(t, hasher, "pw"), Scopes: []string{"reports"}},
		"passwordonly": {ID: "passwordonly", Public: true, Scopes: []string{"me"}, Grants: []string{GrantPassword},
			RedirectURIs: []string{swaggerRedirect}},
	}
	clk := newClock()
	codes, refresh := NewMemoryStores(WithMemoryClock(clk.Now))
	issuer := &fakeIssuer{}
	cfg := Config{
		Users: users, Clients: clients, Codes: codes, Refresh: refresh,
		Issuer: issuer, Hasher: hasher,
		LoginRate: rate.Inf,
		Now:       clk.Now,
		Logger:    slog.New(slog.DiscardHandler),
	}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	hasher.reset()
	e := gin.New()
	e.Any("/token", srv.TokenHandler())
	e.Any("/authorize", srv.AuthorizeHandler())
	return &harness{srv: srv, engine: e, users: users, clients: clients, issuer: issuer, hasher: hasher,
		codes: codes, refresh: refresh, clock: clk}
}

// req describes a token request.
type req struct {
	method      string
	contentType string
	body        string
	basic       string // complete Authorization header value
	remote      string
	target      string
}

func (h *harness) do(r req) *httptest.ResponseRecorder {
	if r.method == "" {
		r.method = http.MethodPost
	}
	if r.target == "" {
		r.target = "/token"
	}
	hr := httptest.NewRequest(r.method, r.target, strings.NewReader(r.body))
	if r.contentType == "" {
		r.contentType = formContentType
	}
	hr.Header.Set("Content-Type", r.contentType)
	if r.basic != "" {
		hr.Header.Set("Authorization", r.basic)
	}
	if r.remote != "" {
		hr.RemoteAddr = r.remote
	}
	w := httptest.NewRecorder()
	h.engine.ServeHTTP(w, hr)
	return w
}

// post sends a form to /token.
func (h *harness) post(form url.Values) *httptest.ResponseRecorder {
	return h.do(req{body: form.Encode()})
}

// basicAuth builds an Authorization header the RFC 6749 way: each part
// form-urlencoded, then joined and base64 encoded.
func basicAuth(id, secret string) string {
	raw := url.QueryEscape(id) + ":" + url.QueryEscape(secret)
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(raw))
}

// b64 is standard base64, as HTTP Basic uses it.
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// basicAuthRaw builds an Authorization header without the form encoding.
func basicAuthRaw(raw string) string { return "Basic " + b64(raw) }

func decodeToken(t *testing.T, w *httptest.ResponseRecorder) tokenResponse {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", w.Code, w.Body)
	}
	var tr tokenResponse
	if err := json.Unmarshal(w.Body.Bytes(), &tr); err != nil {
		t.Fatalf("body %q: %v", w.Body, err)
	}
	return tr
}

func decodeError(t *testing.T, w *httptest.ResponseRecorder) errorResponse {
	t.Helper()
	var er errorResponse
	if err := json.Unmarshal(w.Body.Bytes(), &er); err != nil {
		t.Fatalf("error body %q: %v", w.Body, err)
	}
	if er.Detail != er.ErrorDescription || er.Detail == "" {
		t.Errorf("detail %q and error_description %q must be equal and set", er.Detail, er.ErrorDescription)
	}
	return er
}

// checkNoStore checks the headers every token endpoint answer carries.
func checkNoStore(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	if got := w.Header().Get("Pragma"); got != "no-cache" {
		t.Errorf("Pragma = %q, want no-cache", got)
	}
	if got := w.Header().Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
}

// errStore is returned by failing fakes.
var errStore = errors.New("store is down")

// drain reads and closes a client response body.
func drain(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	if err := res.Body.Close(); err != nil {
		t.Fatalf("close body: %v", err)
	}
	return string(b)
}

// responseRecorder shortens signatures.
type responseRecorder = httptest.ResponseRecorder

// newRecorder returns a fresh response recorder.
func newRecorder() *responseRecorder { return httptest.NewRecorder() }
