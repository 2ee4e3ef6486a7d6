package main

import (
	"bytes"
	"context"
	"crypto/md5" //nolint:gosec // RFC 7616's MD5 variant is tested too
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles example-app once per test binary.
var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "example-app-e2e")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "example-app")
		out, err := exec.Command("go", "build", "-o", buildPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// server is a running example-app process.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string
	logs   *syncBuffer
	exited chan struct{}
	err    error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the binary with env and waits until /openapi.json answers.
func start(t *testing.T, addr string, env ...string) *server {
	t.Helper()
	s := &server{t: t, base: "http://" + addr, logs: &syncBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(binary(t))
	s.cmd.Env = append(os.Environ(), append([]string{"ADDR=" + addr, "JWT_SECRET=", "ISSUER_URL="}, env...)...)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			_ = s.cmd.Process.Kill() // the test failed before stopping it
			<-s.exited
		}
	})
	for {
		select {
		case <-s.exited:
			t.Fatalf("example-app exited before it served: %v\n%s", s.err, s.logs.String())
		default:
		}
		res, err := http.Get(s.base + "/openapi.json")
		if err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitLog reports whether the log contains s within d.
func (s *server) waitLog(want string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for !strings.Contains(s.logs.String(), want) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// stop sends SIGTERM and requires a clean exit.
func (s *server) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	<-s.exited
	if s.err != nil {
		s.t.Fatalf("example-app did not exit cleanly on SIGTERM: %v\n%s", s.err, s.logs.String())
	}
}

// reply is a finished response.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
}

var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// do sends a request. headers are name, value pairs.
func do(t testing.TB, c *http.Client, method, u string, body io.Reader, headers ...string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: b}
}

func (s *server) get(t testing.TB, path string, headers ...string) reply {
	t.Helper()
	return do(t, noRedirect, http.MethodGet, s.base+path, nil, headers...)
}

func (s *server) postForm(t testing.TB, path string, form url.Values, headers ...string) reply {
	t.Helper()
	return do(t, noRedirect, http.MethodPost, s.base+path, strings.NewReader(form.Encode()),
		append([]string{"Content-Type", "application/x-www-form-urlencoded"}, headers...)...)
}

// tokenReply is the token endpoint's answer.
type tokenReply struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
}

// login runs the password grant and requires success.
func (s *server) login(t testing.TB, user, pw, scope string) tokenReply {
	t.Helper()
	form := url.Values{"username": {user}, "password": {pw}}
	if scope != "" {
		form.Set("scope", scope)
	}
	r := s.postForm(t, "/token", form)
	if r.status != http.StatusOK {
		t.Fatalf("login %s: status %d: %s", user, r.status, r.body)
	}
	var tok tokenReply
	if err := json.Unmarshal(r.body, &tok); err != nil {
		t.Fatal(err)
	}
	return tok
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

// authorize runs the browser side of /authorize with a cookie jar: it
// opens the login page for q, signs in, and returns the Location it is
// redirected to.
func (s *server) authorize(t *testing.T, q url.Values, user, pw string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: noRedirect.CheckRedirect}
	page := do(t, c, http.MethodGet, s.base+"/authorize?"+q.Encode(), nil)
	if page.status != http.StatusOK {
		t.Fatalf("GET /authorize: %d: %s", page.status, page.body)
	}
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page.body), -1) {
		form.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	if form.Get("form_token") == "" {
		t.Fatalf("no form_token in the login page:\n%s", page.body)
	}
	form.Set("username", user)
	form.Set("password", pw)
	res := do(t, c, http.MethodPost, s.base+"/authorize", strings.NewReader(form.Encode()),
		"Content-Type", "application/x-www-form-urlencoded")
	if res.status != http.StatusFound {
		t.Fatalf("POST /authorize: %d: %s", res.status, res.body)
	}
	return res.header.Get("Location")
}

// digestAuthorization answers a Digest challenge as RFC 7616 §3.4 says.
func digestAuthorization(t *testing.T, challenge, user, pw, method, uri string) string {
	t.Helper()
	params := map[string]string{}
	for _, m := range regexp.MustCompile(`(\w+)=("([^"]*)"|[^,\s]+)`).FindAllStringSubmatch(strings.TrimPrefix(challenge, "Digest "), -1) {
		v := m[2]
		if strings.HasPrefix(v, `"`) {
			v = m[3]
		}
		params[m[1]] = v
	}
	var newHash func() hash.Hash
	switch params["algorithm"] {
	case "SHA-256":
		newHash = sha256.New
	case "MD5":
		newHash = md5.New
	default:
		t.Fatalf("challenge %q has an unexpected algorithm", challenge)
	}
	h := func(s string) string {
		d := newHash()
		d.Write([]byte(s))
		return hex.EncodeToString(d.Sum(nil))
	}
	const nc, cnonce = "00000001", "0a4f113b"
	ha1 := h(user + ":" + params["realm"] + ":" + pw)
	ha2 := h(method + ":" + uri)
	resp := h(ha1 + ":" + params["nonce"] + ":" + nc + ":" + cnonce + ":auth:" + ha2)
	return fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=%s, qop=auth, nc=%s, cnonce="%s", response="%s"`,
		user, params["realm"], params["nonce"], uri, params["algorithm"], nc, cnonce, resp)
}

var errNoToken = errors.New("no access_token in the fragment")

// fragmentToken reads the access token of an implicit-grant redirect.
func fragmentToken(loc string) (url.Values, error) {
	_, frag, ok := strings.Cut(loc, "#")
	if !ok {
		return nil, errNoToken
	}
	v, err := url.ParseQuery(frag)
	if err != nil {
		return nil, err
	}
	if v.Get("access_token") == "" {
		return v, errNoToken
	}
	return v, nil
}
