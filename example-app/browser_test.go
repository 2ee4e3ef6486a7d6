package main

// The real-browser test of Swagger UI's Authorize dialog. It builds
// example-app, starts it on a loopback port with a fresh database, and drives
// Debian's chromium through chromedp: the dialog's password,
// client-credentials, authorization-code (PKCE), implicit and OpenID Connect
// flows, then "Try it out" on an operation that each token opens. It skips
// when no browser is installed, unless CI is "true".

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Bounds of the browser test. They stop a hung step; a normal run takes a
// fraction of them.
const (
	browserTotalTimeout = 3 * time.Minute
	browserStepTimeout  = 20 * time.Second
	browserBuildTimeout = 3 * time.Minute
	browserStartTimeout = 30 * time.Second
)

// The demo credentials of the example-app contract. The client-credentials
// section takes the confidential demo-client and its secret; every other
// flow runs as Swagger UI's own public client, which the app sets as the
// dialog's default client id.
const (
	browserUser         = "johndoe"
	browserPassword     = "secret"
	browserClientID     = "demo-client"
	browserClientSecret = "demo-secret"
	browserPublicClient = "swagger-ui"
)

// browserHelpersJS defines window.__browserTest, which the selectors below
// use to find an operation block by method and path and a section of the
// Authorize dialog by the start of its heading.
const browserHelpersJS = `window.__browserTest = {
  op(method, path) {
    return [...document.querySelectorAll('.opblock.opblock-' + method)].find(o => {
      const p = o.querySelector('.opblock-summary-path');
      return p && p.getAttribute('data-path') === path;
    }) || null;
  },
  section(heading) {
    return [...document.querySelectorAll('.modal-ux .auth-container')].find(c => {
      const h = c.querySelector('h4');
      return h && h.textContent.replace(/\s+/g, ' ').trim().startsWith(heading);
    }) || null;
  },
  heading(section) {
    const h = section && section.querySelector('h4');
    return h ? h.textContent.replace(/\s+/g, ' ').trim() : '';
  },
  setValue(input, value) {
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    set.call(input, value);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    return input.value;
  },
}; true`

// TestBrowserSwaggerUIAuthorize drives Swagger UI's Authorize dialog in a
// real browser, one flow per subtest, each on a freshly loaded page.
func TestBrowserSwaggerUIAuthorize(t *testing.T) {
	chromium := browserChromiumPath(t)
	bin := browserBuildApp(t)
	base, appLog := browserStartApp(t, bin)
	doc := browserFetchDocument(t, base)

	b := browserOpen(t, chromium, base)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("example-app log:\n%s", appLog.String())
		}
	})

	t.Run("NotAuthorized", func(t *testing.T) {
		b.saveOnFailure(t)
		b.load(t)
		res := b.tryItOut(t, http.MethodGet, "/users/me")
		if res.Status != "401" {
			t.Errorf("GET /users/me without authorizing: status %q, want 401; body:\n%s", res.Status, res.Body)
		}
		if strings.Contains(res.Curl, "Authorization:") {
			t.Errorf("GET /users/me without authorizing sent an Authorization header:\n%s", res.Curl)
		}
	})

	t.Run("Password", func(t *testing.T) {
		b.saveOnFailure(t)
		scheme := doc.oauth2Scheme(t, http.MethodGet, "/users/me", "password")
		b.load(t)
		sec := b.openSection(t, scheme.Name+" (OAuth2, password)")
		b.typeInto(t, sec, "#oauth_username", browserUser)
		b.typeInto(t, sec, "#oauth_password", browserPassword)
		b.tickScopes(t, sec, "me", "items")
		b.authorize(t, sec)
		b.closeDialog(t, sec)

		res := b.tryItOut(t, http.MethodGet, "/users/me")
		if res.Status != "200" {
			t.Fatalf("GET /users/me after the password flow: status %q, want 200; body:\n%s", res.Status, res.Body)
		}
		browserCheckBearer(t, res)
		if !strings.Contains(res.Body, `"johndoe"`) {
			t.Errorf("GET /users/me after the password flow: the body does not name johndoe:\n%s", res.Body)
		}
	})

	t.Run("ClientCredentials", func(t *testing.T) {
		b.saveOnFailure(t)
		scheme := doc.oauth2Scheme(t, http.MethodGet, "/oauth2/client", "clientCredentials")
		b.load(t)
		sec := b.openSection(t, scheme.Name+" (OAuth2, clientCredentials)")
		b.replaceIn(t, sec, "#client_id", browserClientID)
		b.typeInto(t, sec, "#client_secret", browserClientSecret)
		b.tickScopes(t, sec, "items")
		b.authorize(t, sec)
		b.closeDialog(t, sec)

		res := b.tryItOut(t, http.MethodGet, "/oauth2/client")
		if res.Status != "200" {
			t.Fatalf("GET /oauth2/client after the client-credentials flow: status %q, want 200; body:\n%s", res.Status, res.Body)
		}
		browserCheckBearer(t, res)
		if !strings.Contains(res.Body, browserClientID) {
			t.Errorf("GET /oauth2/client: the body does not name %s:\n%s", browserClientID, res.Body)
		}
	})

	t.Run("AuthorizationCodePKCE", func(t *testing.T) {
		b.saveOnFailure(t)
		scheme := doc.oauth2Scheme(t, http.MethodGet, "/oauth2/code", "authorizationCode")
		b.load(t)
		heading := scheme.Name + " (OAuth2, authorizationCode"
		sec := b.openSection(t, heading)
		if got := b.eval(t, "read the section heading", fmt.Sprintf(`__browserTest.heading(%s)`, sec)); !strings.HasPrefix(got, heading+" with PKCE)") {
			t.Errorf("the authorization-code section's heading is %q; want it to say %q, since the app turns PKCE on", got, heading+" with PKCE)")
		}
		b.tickScopes(t, sec, scheme.Scopes...)
		u := b.openAuthorizationWindow(t, sec, heading)
		browserCheckAuthorizeURL(t, u, "code", scheme.Scopes)
		b.signInPopup(t)
		b.waitAuthorized(t, sec)
		b.closeDialog(t, sec)

		res := b.tryItOut(t, http.MethodGet, "/oauth2/code")
		if res.Status != "200" {
			t.Fatalf("GET /oauth2/code after the authorization-code flow: status %q, want 200; body:\n%s", res.Status, res.Body)
		}
		browserCheckBearer(t, res)
		if !strings.Contains(res.Body, browserUser) {
			t.Errorf("GET /oauth2/code: the body does not name %s:\n%s", browserUser, res.Body)
		}
	})

	t.Run("Implicit", func(t *testing.T) {
		b.saveOnFailure(t)
		scheme := doc.oauth2Scheme(t, http.MethodGet, "/oauth2/implicit", "implicit")
		b.load(t)
		heading := scheme.Name + " (OAuth2, implicit)"
		sec := b.openSection(t, heading)
		b.tickScopes(t, sec, scheme.Scopes...)
		u := b.openAuthorizationWindow(t, sec, heading)
		browserCheckAuthorizeURL(t, u, "token", scheme.Scopes)
		b.signInPopup(t)
		b.waitAuthorized(t, sec)
		b.closeDialog(t, sec)

		res := b.tryItOut(t, http.MethodGet, "/oauth2/implicit")
		if res.Status != "200" {
			t.Fatalf("GET /oauth2/implicit after the implicit flow: status %q, want 200; body:\n%s", res.Status, res.Body)
		}
		browserCheckBearer(t, res)
		for _, want := range []string{browserUser, browserPublicClient} {
			if !strings.Contains(res.Body, `"`+want+`"`) {
				t.Errorf("GET /oauth2/implicit: the body does not name %s:\n%s", want, res.Body)
			}
		}
	})

	t.Run("OpenIDConnect", func(t *testing.T) {
		b.saveOnFailure(t)
		scheme := doc.openIDConnectScheme(t, http.MethodGet, "/oidc/whoami")
		b.load(t)
		// Swagger UI reads the discovery document at openIdConnectUrl and
		// offers one section per grant type it lists, named as the
		// document names them, not as OpenAPI's flows are.
		heading := scheme.Name + " (OAuth2, authorization_code"
		sec := b.openSection(t, heading)
		if got := b.eval(t, "read the section heading", fmt.Sprintf(`__browserTest.heading(%s)`, sec)); !strings.HasPrefix(got, heading+" with PKCE)") {
			t.Errorf("the OpenID Connect authorization-code section's heading is %q; want it to say %q", got, heading+" with PKCE)")
		}
		b.tickScopes(t, sec, scheme.Scopes...)
		u := b.openAuthorizationWindow(t, sec, heading)
		browserCheckAuthorizeURL(t, u, "code", scheme.Scopes)
		b.signInPopup(t)
		b.waitAuthorized(t, sec)
		b.closeDialog(t, sec)

		res := b.tryItOut(t, http.MethodGet, "/oidc/whoami")
		if res.Status != "200" {
			t.Fatalf("GET /oidc/whoami after the OpenID Connect flow: status %q, want 200; body:\n%s", res.Status, res.Body)
		}
		browserCheckBearer(t, res)
		if alg := browserTokenAlg(t, res); alg != "ES256" {
			t.Errorf("the OpenID Connect token is signed with %q, want ES256", alg)
		}
		for _, want := range []string{browserUser, browserPublicClient} {
			if !strings.Contains(res.Body, `"`+want+`"`) {
				t.Errorf("GET /oidc/whoami: the body does not name %s:\n%s", want, res.Body)
			}
		}
	})
}

// browserCheckAuthorizeURL fails the test unless u is a request to the
// app's authorization endpoint from Swagger UI's public client, with the
// response type and every scope wanted, and PKCE exactly when a code is
// asked for.
func browserCheckAuthorizeURL(t *testing.T, u *url.URL, responseType string, scopes []string) {
	t.Helper()
	q := u.Query()
	if u.Path != "/authorize" || q.Get("response_type") != responseType || q.Get("client_id") != browserPublicClient {
		t.Fatalf("the authorization window is at %q; want /authorize with response_type=%s and client_id=%s",
			u, responseType, browserPublicClient)
	}
	if got := strings.Fields(q.Get("scope")); !browserContainsAll(got, scopes) {
		t.Fatalf("the authorization window asks for the scopes %q; want %q among them", got, scopes)
	}
	pkce := q.Get("code_challenge") != "" || q.Get("code_challenge_method") != ""
	switch {
	case responseType == "code" && (q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256"):
		t.Fatalf("the authorization window is at %q; want an S256 code_challenge", u)
	case responseType != "code" && pkce:
		t.Fatalf("the authorization window is at %q; a %s request has no code to protect with PKCE", u, responseType)
	}
}

// browserContainsAll reports whether have holds every element of want.
func browserContainsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// browserTokenAlg returns the alg of the bearer JWT that Swagger UI's curl
// shows.
func browserTokenAlg(t *testing.T, res browserResponse) string {
	t.Helper()
	m := regexp.MustCompile(`Authorization: Bearer ([A-Za-z0-9_\-]+)\.`).FindStringSubmatch(res.Curl)
	if m == nil {
		t.Fatalf("no bearer JWT in Swagger UI's curl:\n%s", res.Curl)
	}
	raw, err := base64.RawURLEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatalf("the JWT header %q is not base64url: %v", m[1], err)
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatalf("the JWT header %s: %v", raw, err)
	}
	return h.Alg
}

// openAuthorizationWindow clicks the section's Authorize button, waits for
// the window Swagger UI opens at the app's /authorize, records its console
// and traffic, and returns its URL. The subtest's cleanup closes the
// window, after saving its screenshot when the subtest failed.
func (b *browserSession) openAuthorizationWindow(t *testing.T, sec, heading string) *url.URL {
	t.Helper()
	// Wait for the window before clicking, so the event cannot be missed.
	newTarget := chromedp.WaitNewTarget(b.ctx, func(info *target.Info) bool {
		return strings.HasPrefix(info.URL, b.base+"/authorize?")
	})
	b.do(t, "click Authorize in "+heading, chromedp.Click(browserJSPath(sec, `.querySelector('button.modal-btn.auth.authorize')`)))
	var popupID target.ID
	select {
	case id, ok := <-newTarget:
		if !ok {
			t.Fatal("the page was closed while waiting for the authorization window")
		}
		popupID = id
	case <-time.After(browserStepTimeout):
		// A refused request may redirect straight back to
		// oauth2-redirect.html, which reports to the section and closes.
		shown := b.eval(t, "read the section's errors", fmt.Sprintf(`((s) => s ?
  [...s.querySelectorAll('.errors')].map(e => e.textContent.trim()).filter(Boolean).join(' | ') : 'the section is gone')(%s)`, sec))
		t.Fatalf("Authorize in %s opened no window at %s/authorize; the section shows the errors %q", heading, b.base, shown)
	}
	popup, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(popupID))
	b.setPopup(popup, cancel)
	b.watch(t, popup, "popup")

	loc := b.runPopup(t, "read the authorization URL", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("the authorization window is at %q: %v", loc, err)
	}
	return u
}

// signInPopup signs in as the demo user on the app's login page in the
// authorization window, which then redirects to oauth2-redirect.html.
func (b *browserSession) signInPopup(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	popup := b.popup
	b.mu.Unlock()
	browserDoIn(t, popup, "sign in at /authorize",
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), browserUser),
		chromedp.SendKeys(chromedp.ID("password"), browserPassword),
		chromedp.Click(chromedp.ID("login")),
	)
}

// browserCheckBearer fails the test unless the request that Swagger UI shows
// as curl carried a bearer token.
func browserCheckBearer(t *testing.T, res browserResponse) {
	t.Helper()
	if !regexp.MustCompile(`Authorization: Bearer [A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+`).MatchString(res.Curl) {
		t.Errorf("the request carried no bearer JWT; Swagger UI's curl:\n%s", res.Curl)
	}
}

// browserChromiumPath finds the browser: CHROMIUM_PATH, then the usual names
// on PATH. Without one the test skips, or fails when CI is "true".
func browserChromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		} else if os.Getenv("CI") == "true" {
			t.Fatalf("CHROMIUM_PATH is %q: %v", p, err)
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium found (set CHROMIUM_PATH); CI is true, so the browser test may not skip")
	}
	t.Skip("no chromium found (set CHROMIUM_PATH to run the browser test)")
	return ""
}

// browserBuildApp builds example-app from this package's directory into a
// temporary directory and returns the binary's path.
func browserBuildApp(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the browser test builds example-app with the go command: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "example-app")
	ctx, cancel := context.WithTimeout(context.Background(), browserBuildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build example-app: %v\n%s", err, out)
	}
	return bin
}

// browserLog is the output of the app, safe for concurrent writes.
type browserLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (l *browserLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns what was written so far.
func (l *browserLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// browserStartApp starts the binary on a free loopback port with a fresh
// database and returns its base URL once it serves the OpenAPI document.
// The port is free when chosen but may be taken before the app binds it, so
// a start that exits early is retried on another port.
func browserStartApp(t *testing.T, bin string) (string, *browserLog) {
	t.Helper()
	var lastErr error
	for attempt := range 3 {
		base, log, err := browserTryStart(t, bin, attempt)
		if err == nil {
			return base, log
		}
		lastErr = err
	}
	t.Fatalf("start example-app: %v", lastErr)
	return "", nil
}

// browserTryStart makes one attempt of browserStartApp.
func browserTryStart(t *testing.T, bin string, attempt int) (string, *browserLog, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("find a free port: %w", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		return "", nil, fmt.Errorf("free the port: %w", err)
	}
	dir := t.TempDir()
	log := &browserLog{}
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"ADDR="+addr,
		"DATABASE_URL="+filepath.Join(dir, "example-app.db"),
		"ISSUER_URL=http://"+addr,
	)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("run %s: %w", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		select {
		case <-exited:
			return
		default:
		}
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Logf("interrupt example-app: %v", err)
		}
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Log("example-app did not stop within 10s of SIGINT; killing it")
			if err := cmd.Process.Kill(); err != nil {
				t.Logf("kill example-app: %v", err)
			}
			<-exited
		}
	}

	base := "http://" + addr
	ctx, cancel := context.WithTimeout(context.Background(), browserStartTimeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/openapi.json", nil)
		if err != nil {
			stop()
			return "", nil, fmt.Errorf("request the document: %w", err)
		}
		if res, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, res.Body) // drained only to reuse the connection
			_ = res.Body.Close()                 // nothing to do about a close error of a drained body
			if res.StatusCode == http.StatusOK {
				t.Cleanup(stop)
				return base, log, nil
			}
		}
		select {
		case err := <-exited:
			return "", nil, fmt.Errorf("attempt %d: example-app exited before serving (%v):\n%s", attempt+1, err, log.String())
		case <-ctx.Done():
			stop()
			return "", nil, fmt.Errorf("attempt %d: example-app did not serve /openapi.json within %s:\n%s",
				attempt+1, browserStartTimeout, log.String())
		case <-tick.C:
		}
	}
}

// browserDocument is the part of the OpenAPI document the test reads to
// find the scheme of each flow.
type browserDocument struct {
	Paths      map[string]map[string]browserOperation `json:"paths"`
	Components struct {
		SecuritySchemes map[string]struct {
			Type  string                     `json:"type"`
			Flows map[string]json.RawMessage `json:"flows"`
		} `json:"securitySchemes"`
	} `json:"components"`
}

// browserOperation is an operation's security requirements.
type browserOperation struct {
	Security []map[string][]string `json:"security"`
}

// browserScheme is an OAuth2 scheme an operation requires, with the scopes
// it requires.
type browserScheme struct {
	Name   string
	Scopes []string
}

// browserFetchDocument reads the served OpenAPI document.
func browserFetchDocument(t *testing.T, base string) browserDocument {
	t.Helper()
	res, err := http.Get(base + "/openapi.json")
	if err != nil {
		t.Fatalf("GET /openapi.json: %v", err)
	}
	defer res.Body.Close()
	var doc browserDocument
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatalf("decode /openapi.json: %v", err)
	}
	return doc
}

// oauth2Scheme returns the OAuth2 scheme with the flow that the operation
// requires. The dialog's sections are headed with the scheme's name, so the
// test finds them by what the document says rather than by a fixed name.
func (d browserDocument) oauth2Scheme(t *testing.T, method, path, flow string) browserScheme {
	t.Helper()
	op, ok := d.Paths[path][strings.ToLower(method)]
	if !ok {
		t.Fatalf("the document has no operation %s %s", method, path)
	}
	var found []browserScheme
	for _, req := range op.Security {
		for name, scopes := range req {
			s := d.Components.SecuritySchemes[name]
			if _, ok := s.Flows[flow]; s.Type == "oauth2" && ok {
				found = append(found, browserScheme{Name: name, Scopes: scopes})
			}
		}
	}
	if len(found) == 0 {
		t.Fatalf("the document gives %s %s no oauth2 scheme with a %s flow (security: %v)", method, path, flow, op.Security)
	}
	slices.SortFunc(found, func(a, b browserScheme) int { return strings.Compare(a.Name, b.Name) })
	return found[0]
}

// openIDConnectScheme returns the openIdConnect scheme that the operation
// requires, with the scopes it requires.
func (d browserDocument) openIDConnectScheme(t *testing.T, method, path string) browserScheme {
	t.Helper()
	op, ok := d.Paths[path][strings.ToLower(method)]
	if !ok {
		t.Fatalf("the document has no operation %s %s", method, path)
	}
	var found []browserScheme
	for _, req := range op.Security {
		for name, scopes := range req {
			if d.Components.SecuritySchemes[name].Type == "openIdConnect" {
				found = append(found, browserScheme{Name: name, Scopes: scopes})
			}
		}
	}
	if len(found) == 0 {
		t.Fatalf("the document gives %s %s no openIdConnect scheme (security: %v)", method, path, op.Security)
	}
	slices.SortFunc(found, func(a, b browserScheme) int { return strings.Compare(a.Name, b.Name) })
	return found[0]
}

// browserSession is one browser tab on Swagger UI, with what the test needs
// to explain a failure: the console of every tab and the artifact paths.
type browserSession struct {
	ctx  context.Context
	base string

	mu       sync.Mutex
	console  []string          // console messages and browser log entries
	network  []string          // the app requests of every tab, and their answers
	requests map[string]string // request id to "METHOD path", for the answers
	popup    context.Context   // the authorization window, while the subtest runs
	closePop context.CancelFunc
	// consoleFrom and networkFrom are where the current subtest's entries
	// start.
	consoleFrom, networkFrom int
}

// browserOpen starts chromium with a fresh profile and opens a tab.
func browserOpen(t *testing.T, chromium, base string) *browserSession {
	t.Helper()
	total, cancelTotal := context.WithTimeout(context.Background(), browserTotalTimeout)
	t.Cleanup(cancelTotal)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(total, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 1024),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)...)
	t.Cleanup(cancelAlloc)
	b := &browserSession{base: base, requests: map[string]string{}}
	// chromedp's own messages go to the console log: t.Logf must not be
	// called once the test has ended, and chromedp may log from its
	// goroutines until then.
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithLogf(func(format string, args ...any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.console = append(b.console, "[chromedp] "+fmt.Sprintf(format, args...))
	}))
	t.Cleanup(cancelCtx)
	b.ctx = ctx
	// The first Do starts the browser; it runs on the context without a step
	// bound, because that context's end stops the browser.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	b.watch(t, ctx, "page")
	return b
}

// watch records the console and the network traffic of the tab of ctx.
func (b *browserSession) watch(t *testing.T, ctx context.Context, tab string) {
	t.Helper()
	b.watchConsole(ctx, tab)
	if err := chromedp.Listen(ctx, func(ev any) { b.recordNetwork(tab, ev) }); err != nil {
		t.Fatalf("listen to the network of the %s: %v", tab, err)
	}
}

// recordNetwork notes a request to the app, other than Swagger UI's own
// assets, and its answer. It runs in chromedp's event loop, so it only
// appends under the lock. Of a Basic Authorization it keeps the client id,
// never the secret.
func (b *browserSession) recordNetwork(tab string, ev any) {
	var line string
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(ev.Request.URL)
		if err != nil || !strings.HasPrefix(ev.Request.URL, b.base) ||
			(strings.HasPrefix(u.Path, "/docs/") && !strings.HasSuffix(u.Path, "oauth2-redirect.html")) {
			return
		}
		req := ev.Request.Method + " " + u.Path
		line = fmt.Sprintf("[%s] > %s%s", tab, req, browserAuthSummary(ev.Request.Headers))
		b.mu.Lock()
		b.requests[string(ev.RequestID)] = req
		b.network = append(b.network, line)
		b.mu.Unlock()
	case *network.EventResponseReceived:
		b.mu.Lock()
		defer b.mu.Unlock()
		if req, ok := b.requests[string(ev.RequestID)]; ok {
			line = fmt.Sprintf("[%s] < %d %s", tab, ev.Response.Status, req)
			if c, ok := browserHeader(ev.Response.Headers, "WWW-Authenticate"); ok {
				line += " (WWW-Authenticate: " + c + ")"
			}
			b.network = append(b.network, line)
		}
	case *network.EventLoadingFailed:
		b.mu.Lock()
		defer b.mu.Unlock()
		if req, ok := b.requests[string(ev.RequestID)]; ok {
			b.network = append(b.network, fmt.Sprintf("[%s] < failed %s: %s", tab, req, ev.ErrorText))
		}
	}
}

// browserHeader returns the header name of h, whatever its case.
func browserHeader(h network.Headers, name string) (string, bool) {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			s, ok := v.(string)
			return s, ok
		}
	}
	return "", false
}

// browserAuthSummary describes the Authorization header of a request
// without its secret: the scheme, and the client id of a Basic pair.
func browserAuthSummary(h network.Headers) string {
	auth, ok := browserHeader(h, "Authorization")
	if !ok {
		return ""
	}
	scheme, cred, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Basic") {
		return " (Authorization: " + scheme + " ...)"
	}
	raw, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		return " (Authorization: Basic, not base64)"
	}
	id, secret, _ := strings.Cut(string(raw), ":")
	return fmt.Sprintf(" (Authorization: Basic, client_id %q, secret empty: %t)", id, secret == "")
}

// networkLog returns the current subtest's recorded requests and answers
// whose line contains substr.
func (b *browserSession) networkLog(substr string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var lines []string
	for _, l := range b.network[b.networkFrom:] {
		if strings.Contains(l, substr) {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "(none)"
	}
	return strings.Join(lines, "\n")
}

// watchConsole records the console messages and browser log entries of the
// tab of ctx until the tab or the context ends.
func (b *browserSession) watchConsole(ctx context.Context, tab string) {
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			line := fmt.Sprintf("[%s] %s %s", tab, m.Type, m.Text)
			if m.URL != "" {
				line += fmt.Sprintf(" (%s:%d)", m.URL, m.Line+1)
			}
			b.mu.Lock()
			b.console = append(b.console, line)
			b.mu.Unlock()
		}
	}()
}

// setPopup records the authorization window and the func that closes it,
// so a failure also saves its screenshot.
func (b *browserSession) setPopup(ctx context.Context, closePopup context.CancelFunc) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.popup, b.closePop = ctx, closePopup
}

// saveOnFailure saves, when t fails, a screenshot and the HTML of each
// open tab, the console log and the app traffic, into
// $BROWSER_ARTIFACTS_DIR or a new temporary directory that is kept, and
// logs their paths. Either way it then closes the authorization window.
func (b *browserSession) saveOnFailure(t *testing.T) {
	b.mu.Lock()
	b.consoleFrom, b.networkFrom = len(b.console), len(b.network)
	b.mu.Unlock()
	t.Cleanup(func() {
		defer func() {
			b.mu.Lock()
			closePopup := b.closePop
			b.popup, b.closePop = nil, nil
			b.mu.Unlock()
			if closePopup != nil {
				closePopup()
			}
		}()
		if !t.Failed() {
			return
		}
		dir := os.Getenv("BROWSER_ARTIFACTS_DIR")
		if dir == "" {
			var err error
			if dir, err = os.MkdirTemp("", "browser-artifacts-"); err != nil {
				t.Logf("no directory for the browser artifacts: %v", err)
				return
			}
		} else if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Logf("no directory for the browser artifacts: %v", err)
			return
		}
		prefix := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_"))
		b.mu.Lock()
		console := strings.Join(b.console[b.consoleFrom:], "\n") + "\n"
		traffic := strings.Join(b.network[b.networkFrom:], "\n") + "\n"
		popup := b.popup
		b.mu.Unlock()
		write := func(name string, data []byte) {
			p := prefix + "-" + name
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Logf("save %s: %v", p, err)
				return
			}
			t.Logf("saved %s", p)
		}
		write("console.log", []byte(console))
		write("network.log", []byte(traffic))
		tabs := []struct {
			name string
			ctx  context.Context
		}{{"page", b.ctx}, {"popup", popup}}
		for _, tab := range tabs {
			if tab.ctx == nil {
				continue
			}
			ctx, cancel := context.WithTimeout(tab.ctx, 10*time.Second)
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Logf("screenshot of the %s: %v", tab.name, err)
			} else {
				write(tab.name+".png", png)
			}
			html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
			if err != nil {
				t.Logf("HTML of the %s: %v", tab.name, err)
			} else {
				write(tab.name+".html", []byte(html))
			}
			cancel()
		}
	})
}

// do runs the actions on the Swagger UI tab within one step's bound.
func (b *browserSession) do(t *testing.T, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browserDoIn(t, b.ctx, step, actions...)
}

// browserDoIn runs the actions on the tab of ctx within one step's bound.
func browserDoIn(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, browserStepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// runPopup runs an action that returns a string on the authorization window.
func (b *browserSession) runPopup(t *testing.T, step string, a chromedp.Action[string]) string {
	t.Helper()
	b.mu.Lock()
	popup := b.popup
	b.mu.Unlock()
	ctx, cancel := context.WithTimeout(popup, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// eval evaluates a JavaScript expression that gives a string on the Swagger
// UI tab.
func (b *browserSession) eval(t *testing.T, step, js string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// browserJSPath is a selector for the element that expr, a JavaScript
// expression giving an element, followed by suffix, gives.
func browserJSPath(expr, suffix string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf(`((e) => e ? e%s : null)(%s)`, suffix, expr))
}

// browserJS quotes s as a JavaScript string literal.
func browserJS(s string) string {
	q, err := json.Marshal(s)
	if err != nil {
		panic(err) // a Go string always marshals
	}
	return string(q)
}

// load opens Swagger UI afresh, which forgets every authorization, and
// waits until it has rendered the operations.
func (b *browserSession) load(t *testing.T) {
	t.Helper()
	b.do(t, "open "+b.base+"/docs",
		chromedp.Navigate(b.base+"/docs"),
		// A previous flow may have persisted its authorization.
		chromedp.Evaluate[chromedp.Void](`localStorage.clear(); sessionStorage.clear()`),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(".auth-wrapper button.authorize")),
		chromedp.WaitVisible(chromedp.CSS(".opblock .opblock-summary-control")),
		chromedp.Evaluate[chromedp.Void](browserHelpersJS),
	)
}

// openSection opens the Authorize dialog and returns a JavaScript
// expression for its section whose heading starts with heading.
func (b *browserSession) openSection(t *testing.T, heading string) string {
	t.Helper()
	sec := fmt.Sprintf(`__browserTest.section(%s)`, browserJS(heading))
	b.do(t, "open the Authorize dialog",
		chromedp.Click(chromedp.CSS(".auth-wrapper button.authorize")),
		chromedp.WaitVisible(chromedp.CSS(".modal-ux .auth-container")),
	)
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](sec+` !== null`,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		headings := b.eval(t, "list the dialog's sections",
			`[...document.querySelectorAll('.modal-ux .auth-container h4')].map(h => h.textContent.trim()).join(' | ')`)
		t.Fatalf("the Authorize dialog has no section headed %q (%v); its sections: %s", heading, err, headings)
	}
	return sec
}

// typeInto types text into the input that css selects in the section.
func (b *browserSession) typeInto(t *testing.T, sec, css, text string) {
	t.Helper()
	input := browserJSPath(sec, `.querySelector(`+browserJS(css)+`)`)
	b.do(t, "type into "+css, chromedp.WaitVisible(input), chromedp.SendKeys(input, text))
	if got := b.eval(t, "read "+css, string(input)+`.value`); got != text {
		t.Fatalf("%s holds %q after typing %q", css, got, text)
	}
}

// replaceIn empties the input that css selects in the section, as React
// sees it, then types text into it.
func (b *browserSession) replaceIn(t *testing.T, sec, css, text string) {
	t.Helper()
	input := browserJSPath(sec, `.querySelector(`+browserJS(css)+`)`)
	b.do(t, "empty "+css, chromedp.WaitVisible(input),
		chromedp.Evaluate[chromedp.Void](`__browserTest.setValue(`+string(input)+`, '')`))
	b.typeInto(t, sec, css, text)
}

// tickScopes ticks the scope check boxes of the section. Swagger UI hides
// the boxes behind their labels, so the test clicks the labels, as a user
// does.
func (b *browserSession) tickScopes(t *testing.T, sec string, scopes ...string) {
	t.Helper()
	for _, scope := range scopes {
		box := sec + `.querySelector('input[type=checkbox][data-value=` + browserJS(scope) + `]')`
		label := chromedp.JSPath(fmt.Sprintf(`((s) => {
  const box = s && s.querySelector('input[type=checkbox][data-value=' + %s + ']');
  return box ? s.querySelector('label[for="' + CSS.escape(box.id) + '"]') : null;
})(%s)`, browserJS(browserJS(scope)), sec))
		b.do(t, "tick the scope "+scope, chromedp.Click(label))
		if got := b.eval(t, "read the scope box "+scope, `String(`+box+`.checked)`); got != "true" {
			t.Fatalf("the scope box %q is not ticked after clicking its label", scope)
		}
	}
}

// authorize clicks the section's Authorize button and waits for it to say
// Authorized.
func (b *browserSession) authorize(t *testing.T, sec string) {
	t.Helper()
	b.do(t, "click Authorize", chromedp.Click(browserJSPath(sec, `.querySelector('button.modal-btn.auth.authorize')`)))
	b.waitAuthorized(t, sec)
}

// waitAuthorized waits until the section says Authorized and offers Logout,
// or fails with the errors the section shows.
func (b *browserSession) waitAuthorized(t *testing.T, sec string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Poll[string](fmt.Sprintf(`((s) => {
  if (!s) return 'error: the section is gone';
  const errs = [...s.querySelectorAll('.errors')].map(e => e.textContent.trim()).filter(Boolean);
  if (errs.length) return 'error: ' + errs.join(' | ');
  const ok = [...s.querySelectorAll('h6')].some(h => h.textContent.trim() === 'Authorized');
  const btn = s.querySelector('button.modal-btn.auth.authorize');
  return ok && btn && btn.textContent.trim() === 'Logout' ? 'authorized' : '';
})(%s)`, sec), chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(browserStepTimeout)))
	if err != nil {
		log := b.networkLog("/token")
		hint := ""
		if lines := strings.Split(log, "\n"); strings.Contains(lines[len(lines)-1], "] > ") {
			hint = " (the last token request has no answer: a browser holds a request whose 401 carries " +
				"a Basic challenge, waiting for credentials, so look for an invalid_client)"
		}
		t.Fatalf("wait for the section to say Authorized: %v\ntoken requests%s:\n%s", err, hint, log)
	}
	if got != "authorized" {
		t.Fatalf("the section did not authorize: %s\ntoken requests:\n%s", got, b.networkLog("/token"))
	}
}

// closeDialog closes the Authorize dialog with the section's Close button.
func (b *browserSession) closeDialog(t *testing.T, sec string) {
	t.Helper()
	b.do(t, "close the Authorize dialog",
		chromedp.Click(browserJSPath(sec, `.querySelector('button.modal-btn.auth.btn-done')`)),
		chromedp.WaitNotPresent(chromedp.CSS(".modal-ux")),
	)
}

// browserResponse is what Swagger UI shows after Execute.
type browserResponse struct {
	Status string // the status code, such as "200"
	Curl   string // the curl command of the request
	Body   string // the response column: body and headers
}

// tryItOut expands the operation, clicks "Try it out" and "Execute", and
// reads the response Swagger UI shows.
func (b *browserSession) tryItOut(t *testing.T, method, path string) browserResponse {
	t.Helper()
	op := fmt.Sprintf(`__browserTest.op(%s, %s)`, browserJS(strings.ToLower(method)), browserJS(path))
	step := method + " " + path
	b.do(t, step+": expand, Try it out, Execute",
		chromedp.Click(browserJSPath(op, `.querySelector('.opblock-summary-control')`)),
		chromedp.Click(browserJSPath(op, `.querySelector('.try-out__btn:not(.cancel)')`)),
		chromedp.Click(browserJSPath(op, `.querySelector('button.execute')`)),
		chromedp.WaitVisible(browserJSPath(op, `.querySelector('.live-responses-table .response .response-col_status')`)),
	)
	raw := b.eval(t, step+": read the response", fmt.Sprintf(`((o) => {
  const text = (sel) => { const e = o.querySelector(sel); return e ? (e.tagName === 'TEXTAREA' ? e.value : e.textContent) : ''; };
  return JSON.stringify({
    status: text('.live-responses-table .response .response-col_status'),
    curl: text('.curl-command .curl') || text('.curl'),
    body: text('.live-responses-table .response .response-col_description'),
  });
})(%s)`, op))
	var r struct{ Status, Curl, Body string }
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		t.Fatalf("%s: decode %q: %v", step, raw, err)
	}
	status := regexp.MustCompile(`^\s*(\d{3})`).FindStringSubmatch(r.Status)
	if status == nil {
		t.Fatalf("%s: Swagger UI shows no status code: %q", step, r.Status)
	}
	return browserResponse{Status: status[1], Curl: r.Curl, Body: r.Body}
}
