// Package frameworktest starts a Portcullis app inside a test, on a real HTTP
// server on loopback, and makes requests to it.
//
// # Overrides
//
// [Override] replaces a dependency or a security scheme for one test without
// touching handlers, as FastAPI's dependency_overrides does.
//
// # Tokens
//
// [App.Token] logs in through the app's real token endpoint, so tests use the
// same tokens clients get.
package frameworktest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/portcullis/portcullis/framework"
)

// App is an app started for a test.
type App struct {
	// URL is the server's base URL, such as "http://127.0.0.1:41234".
	URL string
	// Client talks to the server. It does not follow redirects.
	Client *http.Client
	// App is the compiled framework app, for its OpenAPI document and routes.
	App *framework.App

	t  testing.TB
	fx *fxtest.App
}

// Override replaces whatever provides the first result type of fn. See
// framework.Override.
func Override(fn any) fx.Option { return framework.Override(fn) }

// Start builds the app from opts, listens on a free loopback port, and stops
// the app when the test ends. opts are what the app gives fx.New, the
// framework.Module among them.
func Start(t testing.TB, opts ...fx.Option) *App {
	t.Helper()
	a := &App{t: t}
	var srv *framework.Server
	all := append([]fx.Option{}, opts...)
	all = append(all,
		fx.Decorate(func(c framework.Config) framework.Config {
			c.Addr = "127.0.0.1:0"
			if c.Logger == nil {
				// Tests read failures from their own output; keep the
				// server's routine lines out of it.
				c.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			}
			return c
		}),
		fx.Populate(&srv, &a.App),
		fx.NopLogger,
	)
	a.fx = fxtest.New(t, all...)
	a.fx.RequireStart()
	t.Cleanup(a.fx.RequireStop)
	a.URL = srv.URL()
	a.Client = &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return a
}

// Response is a finished response with its body read.
type Response struct {
	*http.Response
	// Body is the whole response body.
	Body []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v; body: %s", r.Request.URL, err, r.Body)
	}
}

// Do sends req, made relative to the app's URL when its URL has no host,
// and reads the whole response.
func (a *App) Do(req *http.Request) *Response {
	a.t.Helper()
	if req.URL.Host == "" {
		u, err := url.Parse(a.URL + req.URL.String())
		if err != nil {
			a.t.Fatalf("frameworktest: bad URL %q: %v", req.URL, err)
		}
		req.URL = u
		req.Host = u.Host
	}
	resp, err := a.Client.Do(req)
	if err != nil {
		a.t.Fatalf("frameworktest: %s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatalf("frameworktest: read body of %s %s: %v", req.Method, req.URL, err)
	}
	return &Response{Response: resp, Body: body}
}

// Get sends a GET to path with the given header pairs ("Name", "value", ...).
func (a *App) Get(path string, header ...string) *Response {
	a.t.Helper()
	req := a.NewRequest(http.MethodGet, path, nil, header...)
	return a.Do(req)
}

// NewRequest builds a request to path on the app.
func (a *App) NewRequest(method, path string, body io.Reader, header ...string) *http.Request {
	a.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, a.URL+path, body)
	if err != nil {
		a.t.Fatalf("frameworktest: %v", err)
	}
	if len(header)%2 != 0 {
		a.t.Fatalf("frameworktest: header pairs are uneven: %q", header)
	}
	for i := 0; i < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	return req
}

// PostForm sends form as application/x-www-form-urlencoded to path.
func (a *App) PostForm(path string, form url.Values, header ...string) *Response {
	a.t.Helper()
	req := a.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()), header...)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return a.Do(req)
}

// TokenResponse is the body of a successful token request.
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	Scope        string `json:"scope"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// Token logs in with the password grant at the app's /token endpoint and
// returns the access token. The test fails unless the endpoint answers 200.
func (a *App) Token(username, password string, scopes ...string) string {
	a.t.Helper()
	return a.TokenAt("/token", username, password, scopes...).AccessToken
}

// TokenAt is Token for an endpoint at another path, returning the whole answer.
func (a *App) TokenAt(path, username, password string, scopes ...string) TokenResponse {
	a.t.Helper()
	form := url.Values{"grant_type": {"password"}, "username": {username}, "password": {password}}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	resp := a.PostForm(path, form)
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("frameworktest: login as %q at %s: %d %s", username, path, resp.StatusCode, resp.Body)
	}
	var tr TokenResponse
	resp.JSON(a.t, &tr)
	if tr.AccessToken == "" {
		a.t.Fatalf("frameworktest: login as %q at %s: no access_token in %s", username, path, resp.Body)
	}
	return tr
}

// Bearer returns the Authorization header pair for a bearer token:
// app.Get("/users/me", frameworktest.Bearer(tok)...).
func Bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

// String describes the app for test logs.
func (a *App) String() string { return fmt.Sprintf("frameworktest.App(%s)", a.URL) }
