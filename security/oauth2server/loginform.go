package oauth2server

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/internal/problem"
)

// formCookie holds the random nonce that ties a login form to the browser
// that asked for it. The form token is an HMAC over the nonce, the request
// parameters and the time the form was made, so a form can only be sent back
// by the browser that holds the cookie, unchanged and within FormTTL. This is
// the double-submit pattern: a third-party page can neither read the cookie
// nor forge the token.
const formCookie = "oauth2server_login"

// formSkew is how far in the future a form's time may lie, for clocks of
// replicas that disagree a little.
const formSkew = time.Minute

var loginTemplate = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}
main{max-width:22rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 4px #0002}
label{display:block;margin-top:1rem}
input{box-sizing:border-box;width:100%;padding:.5rem;margin-top:.25rem}
button{margin-top:1.5rem;padding:.5rem 1rem}
.error{color:#a00}
</style>
</head>
<body>
<main>
<h1>Sign in</h1>
<p><strong>{{.ClientID}}</strong> asks to act on your behalf{{if .Scopes}} with the scopes{{range .Scopes}} <code>{{.}}</code>{{end}}{{end}}.</p>
{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
{{range .Hidden}}<input type="hidden" name="{{index . 0}}" value="{{index . 1}}">
{{end}}<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus value="{{.Username}}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="login" type="submit">Sign in</button>
<button id="cancel" type="submit" name="cancel" value="1" formnovalidate>Cancel</button>
</form>
</main>
</body>
</html>
`))

var errorTemplate = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sign-in error</title>
</head>
<body>
<main>
<h1>Sign-in error</h1>
<p id="error">{{.}}</p>
</main>
</body>
</html>
`))

type loginPage struct {
	Action   string
	ClientID string
	Scopes   []string
	Hidden   [][2]string
	Username string
	Error    string
}

// renderLogin shows the login form for p, with a fresh form token. A
// refusal (status 400 and up) goes to a client that asks for JSON as a
// problem, as [Server.renderError] explains.
func (s *Server) renderLogin(c *gin.Context, status int, p authzParams, client *Client, username, errMsg string) {
	if status >= http.StatusBadRequest && wantsProblem(c.Request) {
		problem.Write(c.Writer, problem.New(status, errMsg))
		return
	}
	nonce := s.formNonce(c)
	hidden := append(p.fields(), [2]string{"form_token", s.formToken(nonce, p, s.cfg.Now())})
	scopes, _ := s.parseScope(p.Scope) // checked by checkAuthorize
	page := loginPage{
		Action:   c.Request.URL.Path,
		ClientID: client.ID,
		Scopes:   scopes,
		Hidden:   hidden,
		Username: username,
		Error:    errMsg,
	}
	var buf bytes.Buffer
	if err := loginTemplate.Execute(&buf, page); err != nil {
		s.cfg.Logger.ErrorContext(c.Request.Context(), "oauth2server: login page failed", "error", err)
		s.renderError(c, errorPage(http.StatusInternalServerError, "The server failed. Please try again later."))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// renderError shows an error page. A client that asks for JSON and not for
// HTML in its Accept header, such as an API client, gets the same message as
// an RFC 9457 problem, the body the endpoint documents for its errors. A
// request without Accept gets the page, as browsers expect.
func (s *Server) renderError(c *gin.Context, f *authzFailure) {
	if wantsProblem(c.Request) {
		problem.Write(c.Writer, problem.New(f.status, f.message))
		return
	}
	var buf bytes.Buffer
	if err := errorTemplate.Execute(&buf, f.message); err != nil {
		// The template takes one string; it cannot fail.
		buf.Reset()
		buf.WriteString("error")
	}
	c.Data(f.status, "text/html; charset=utf-8", buf.Bytes())
}

// wantsProblem reports whether the request's Accept header names JSON
// (application/json, application/problem+json or another +json type) and
// does not name text/html.
func wantsProblem(r *http.Request) bool {
	wantJSON := false
	for _, v := range r.Header.Values("Accept") {
		for _, part := range strings.Split(v, ",") {
			mt, _, _ := strings.Cut(part, ";")
			mt = strings.ToLower(strings.TrimSpace(mt))
			switch {
			case mt == "text/html":
				return false
			case mt == "application/json", strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"):
				wantJSON = true
			}
		}
	}
	return wantJSON
}

// formNonce returns the browser's nonce from its cookie, or makes and sets a
// new one.
func (s *Server) formNonce(c *gin.Context) string {
	if n, err := c.Cookie(formCookie); err == nil && validNonce(n) {
		return n
	}
	n := newSecret()
	http.SetCookie(c.Writer, &http.Cookie{
		Name:     formCookie,
		Value:    n,
		Path:     c.Request.URL.Path,
		MaxAge:   int(s.cfg.FormTTL / time.Second),
		HttpOnly: true,
		Secure:   c.Request.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	})
	return n
}

func validNonce(n string) bool {
	b, err := base64.RawURLEncoding.DecodeString(n)
	return err == nil && len(b) == secretBytes
}

// formMAC is the HMAC of a form: the nonce, the time and the parameters.
func (s *Server) formMAC(nonce string, p authzParams, unix int64) []byte {
	v := url.Values{"nonce": {nonce}, "time": {strconv.FormatInt(unix, 10)}}
	for _, f := range p.fields() {
		v.Set(f[0], f[1])
	}
	m := hmac.New(sha256.New, s.cfg.FormKey)
	m.Write([]byte("oauth2server login form\x00"))
	m.Write([]byte(v.Encode()))
	return m.Sum(nil)
}

// formToken is the time of the form followed by its HMAC, base64url encoded.
func (s *Server) formToken(nonce string, p authzParams, now time.Time) string {
	buf := make([]byte, 8, 8+sha256.Size)
	binary.BigEndian.PutUint64(buf, uint64(now.Unix()))
	buf = append(buf, s.formMAC(nonce, p, now.Unix())...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// checkFormToken checks the form token of a POST against the cookie's nonce
// and the parameters, in constant time.
func (s *Server) checkFormToken(c *gin.Context, token string, p authzParams) bool {
	nonce, err := c.Cookie(formCookie)
	if err != nil || !validNonce(nonce) {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 8+sha256.Size {
		return false
	}
	unix := int64(binary.BigEndian.Uint64(raw[:8]))
	made := time.Unix(unix, 0)
	now := s.cfg.Now()
	if now.Sub(made) > s.cfg.FormTTL || made.Sub(now) > formSkew {
		return false
	}
	return hmac.Equal(raw[8:], s.formMAC(nonce, p, unix))
}
