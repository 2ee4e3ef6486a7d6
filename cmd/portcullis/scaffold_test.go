package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// goTool returns the go command, skipping heavy tests under -short or when
// there is no go command.
func goTool(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds generated projects; skipped with -short")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	return gobin
}

// goEnv is the environment of the go commands run in generated projects:
// the module and build caches are shared with this test, the workspace is
// off, and the module proxy is off, so a project that needs anything the
// cache lacks fails instead of reaching the network.
func goEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "GOFLAGS", "GOWORK", "GOPROXY", "GOTOOLCHAIN":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
}

// goRun runs the go command with args in dir and fails the test with its
// output when it fails.
func goRun(t *testing.T, gobin, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(gobin, args...)
	cmd.Dir = dir
	cmd.Env = goEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
}

// scaffold generates a project with the command, as a user would, from this
// package's directory inside the framework checkout.
func scaffold(t *testing.T, auth, store string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "api")
	code, _, stderr := runCLI("new", dir, "--module", "example.com/api", "--auth", auth, "--store", store)
	if code != 0 {
		t.Fatalf("portcullis new --auth %s --store %s: exit status %d\n%s", auth, store, code, stderr)
	}
	return dir
}

// TestScaffoldedProjectsPass generates one project per --auth choice and
// runs go vet and go test in it. The remaining auth and store combinations
// are rendered and checked by TestRenderEveryCombination. The variants run
// one after another: the builds share the build cache, and on two cores
// running them at once is no faster.
func TestScaffoldedProjectsPass(t *testing.T) {
	gobin := goTool(t)
	for _, v := range []struct{ auth, store string }{
		{"oauth2-password", "sqlite"},
		{"apikey", "memory"},
		{"basic", "sqlite"},
		{"none", "memory"},
	} {
		t.Run(v.auth+"/"+v.store, func(t *testing.T) {
			dir := scaffold(t, v.auth, v.store)
			before, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err != nil {
				t.Fatal(err)
			}
			goRun(t, gobin, dir, "vet", "./...")
			goRun(t, gobin, dir, "test", "-count=1", "./...")
			after, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err != nil {
				t.Fatal(err)
			}
			if string(before) != string(after) {
				t.Errorf("the go command had to change go.mod:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// TestGeneratedAppServes builds the OAuth2 project, runs the binary on a
// free loopback port, and talks to it over HTTP as a client would.
func TestGeneratedAppServes(t *testing.T) {
	gobin := goTool(t)
	dir := scaffold(t, "oauth2-password", "sqlite")
	bin := filepath.Join(dir, "bin", "api")
	goRun(t, gobin, dir, "build", "-o", bin, ".")

	// -routes and -openapi print without serving and without touching
	// DATABASE_URL.
	unused := filepath.Join(t.TempDir(), "unused.db")
	for flag, want := range map[string]string{
		"-routes":  "GET /users/me -> main.readMe (api/handlers.go:",
		"-openapi": `"openapi": "3.0.3"`,
	} {
		pr := exec.Command(bin, flag)
		pr.Dir = dir
		pr.Env = append(os.Environ(), "DATABASE_URL="+unused, "JWT_SECRET=")
		out, err := pr.Output()
		if err != nil || !strings.Contains(string(out), want) {
			t.Fatalf("api %s: %v; want %q in:\n%s", flag, err, want, out)
		}
		if _, err := os.Stat(unused); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("api %s touched DATABASE_URL: %v", flag, err)
		}
	}

	const pw = "a password for the binary"
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"ADDR=127.0.0.1:0",
		"DATABASE_URL="+filepath.Join(t.TempDir(), "api.db"),
		"DEMO_USER=demo",
		"DEMO_PASSWORD="+pw,
		"JWT_SECRET=",
	)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := false
	t.Cleanup(func() {
		if !exited {
			_ = cmd.Process.Kill() // the test failed before the SIGTERM; the kill is the cleanup
			_ = cmd.Wait()
		}
	})

	// The framework logs `msg=listening url=http://...` once it listens.
	// Read up to that line, then keep the rest of the log for messages.
	var (
		logMu sync.Mutex
		log   strings.Builder
	)
	logs := func() string { logMu.Lock(); defer logMu.Unlock(); return log.String() }
	sc := bufio.NewScanner(stderr)
	base := ""
	for base == "" && sc.Scan() {
		line := sc.Text()
		log.WriteString(line + "\n")
		if !strings.Contains(line, "msg=listening") {
			continue
		}
		_, u, ok := strings.Cut(line, "url=")
		if !ok {
			t.Fatalf("cannot read the address from %q", line)
		}
		base = strings.Fields(u)[0]
	}
	if base == "" {
		_ = cmd.Wait()
		exited = true
		t.Fatalf("the app stopped before it listened:\n%s", logs())
	}
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for sc.Scan() {
			logMu.Lock()
			log.WriteString(sc.Text() + "\n")
			logMu.Unlock()
		}
	}()

	client := &http.Client{}
	get := func(t *testing.T, path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v\nlog:\n%s", path, err, logs())
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}

	t.Run("openapi document", func(t *testing.T) {
		resp, body := get(t, "/openapi.json")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /openapi.json: %d %s", resp.StatusCode, body)
		}
		var doc struct {
			Paths      map[string]json.RawMessage `json:"paths"`
			Components struct {
				SecuritySchemes map[string]struct {
					Type string `json:"type"`
				} `json:"securitySchemes"`
			} `json:"components"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		if _, ok := doc.Paths["/users/me"]; !ok {
			t.Errorf("the document has no /users/me: %s", body)
		}
		oauth2 := false
		for _, s := range doc.Components.SecuritySchemes {
			oauth2 = oauth2 || s.Type == "oauth2"
		}
		if !oauth2 {
			t.Errorf("the document has no oauth2 security scheme: %s", body)
		}
	})

	t.Run("secured route without a token", func(t *testing.T) {
		resp, body := get(t, "/users/me")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("GET /users/me: %d %s, want 401", resp.StatusCode, body)
		}
		if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", got)
		}
	})

	t.Run("secured route with a token from /token", func(t *testing.T) {
		resp, err := client.PostForm(base+"/token", url.Values{"username": {"demo"}, "password": {pw}, "scope": {"me"}})
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST /token: %d %s\nlog:\n%s", resp.StatusCode, body, logs())
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
			t.Fatalf("no access token in %s (%v)", body, err)
		}
		resp, body = get(t, "/users/me", "Authorization", "Bearer "+tok.AccessToken)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /users/me with a token: %d %s", resp.StatusCode, body)
		}
		var me struct {
			Username string `json:"username"`
		}
		if err := json.Unmarshal(body, &me); err != nil || me.Username != "demo" {
			t.Errorf("GET /users/me = %s (%v), want the demo user", body, err)
		}
	})

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-drained
	err = cmd.Wait()
	exited = true
	if err != nil {
		t.Errorf("the app did not stop cleanly on SIGTERM: %v\nlog:\n%s", err, logs())
	}
}
