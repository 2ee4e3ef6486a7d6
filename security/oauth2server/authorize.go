package oauth2server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Response types of the authorization endpoint.
const (
	responseCode  = "code"
	responseToken = "token"
)

// GrantImplicit names the implicit grant (RFC 6749 §4.2) in [Client.Grants]:
// response_type=token at the authorization endpoint. Because OAuth 2.0
// Security Best Current Practice discourages the grant, it is opt-in: only a
// client whose Grants list names it explicitly may use it; an empty list
// does not allow it.
const GrantImplicit = "implicit"

// authzParams are the parameters of an authorization request (RFC 6749
// §4.1.1 and RFC 7636 §4.3). The login form carries them as hidden fields.
type authzParams struct {
	ResponseType, ClientID, RedirectURI, Scope, State, Challenge, Method string
	// implicit is set once response_type=token was accepted for the
	// client; errors then go back in the fragment.
	implicit bool
}

// fields lists the parameters with their names on the wire, in a fixed order.
func (p authzParams) fields() [][2]string {
	return [][2]string{
		{"response_type", p.ResponseType},
		{"client_id", p.ClientID},
		{"redirect_uri", p.RedirectURI},
		{"scope", p.Scope},
		{"state", p.State},
		{"code_challenge", p.Challenge},
		{"code_challenge_method", p.Method},
	}
}

// authzFailure is a refused authorization request. With page set the
// client or redirect_uri cannot be trusted, so the user sees an error page;
// otherwise the user agent is sent back to the client with the error.
type authzFailure struct {
	page    bool
	status  int
	message string // the page's text
	oerr    *oauthError
}

func errorPage(status int, message string) *authzFailure {
	return &authzFailure{page: true, status: status, message: message}
}

func redirectError(code, desc string) *authzFailure {
	return &authzFailure{oerr: &oauthError{code: code, description: desc}}
}

// AuthorizeHandler returns the authorization endpoint for the authorization
// code grant with PKCE, as Swagger UI's authorizationCode flow uses it, and
// for the implicit grant (response_type=token, see implicitRedirect). Mount
// it on both GET and POST of one path. GET checks the request and shows a
// login form; POST checks the login and redirects back to the client with a
// single-use code.
func (s *Server) AuthorizeHandler() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Pragma", "no-cache")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
		if s.cfg.Codes == nil {
			s.renderError(c, errorPage(http.StatusNotFound, "The authorization code flow is not enabled on this server."))
			return
		}
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead:
			s.authorizeShow(c)
		case http.MethodPost:
			s.authorizeLogin(c)
		default:
			h.Set("Allow", "GET, HEAD, POST")
			s.renderError(c, errorPage(http.StatusMethodNotAllowed, "This method is not allowed here."))
		}
	}
}

// authorizeShow answers GET: it checks the request and shows the login form.
func (s *Server) authorizeShow(c *gin.Context) {
	p, client, fail := s.checkAuthorize(c.Request.Context(), c.Request.URL.Query())
	if fail != nil {
		s.fail(c, p, fail)
		return
	}
	s.renderLogin(c, http.StatusOK, p, client, "", "")
}

// authorizeLogin answers POST: it checks the request again, the form token,
// the rate limits and the login, then redirects with a code.
func (s *Server) authorizeLogin(c *gin.Context) {
	ctx := c.Request.Context()
	form, oerr := readForm(c.Request, s.cfg.MaxBodyBytes)
	if oerr != nil {
		s.renderError(c, errorPage(oerr.status, "The sign-in form could not be read."))
		return
	}
	p, client, fail := s.checkAuthorize(ctx, form)
	if fail != nil {
		s.fail(c, p, fail)
		return
	}
	v, oerr := params(form, "username", "password", "form_token", "cancel")
	if oerr != nil {
		s.renderLogin(c, http.StatusBadRequest, p, client, "", "The form was sent with repeated fields. Please sign in again.")
		return
	}
	username, pw, token, cancel := v[0], v[1], v[2], v[3]
	if !s.checkFormToken(c, token, p) {
		s.renderLogin(c, http.StatusForbidden, p, client, username, "This sign-in form has expired or did not come from this page. Please sign in again.")
		return
	}
	if cancel != "" {
		s.fail(c, p, redirectError(codeAccessDenied, "the user cancelled the sign-in"))
		return
	}
	if username == "" || pw == "" {
		s.renderLogin(c, http.StatusBadRequest, p, client, username, "Enter your username and password.")
		return
	}
	if oerr := s.checkRate(c.ClientIP(), username); oerr != nil {
		c.Header("Retry-After", strconv.Itoa(oerr.retryAfter))
		s.renderLogin(c, oerr.status, p, client, username, "Too many sign-in attempts. Wait a little and try again.")
		return
	}
	u, oerr := s.checkLogin(ctx, username, pw)
	if oerr != nil {
		if oerr.code == codeServerError {
			s.renderError(c, errorPage(http.StatusInternalServerError, "The server failed. Please try again later."))
			return
		}
		// One message for a wrong password, an unknown user and a
		// disabled user.
		s.renderLogin(c, http.StatusBadRequest, p, client, username, "Sign-in failed: the username or password is incorrect, or the account is disabled.")
		return
	}
	requested, _ := s.parseScope(p.Scope) // checkAuthorize has parsed it already
	granted, oerr := grantScopes(requested, userScopes(u, client))
	if oerr != nil {
		s.fail(c, p, &authzFailure{oerr: oerr})
		return
	}
	if p.implicit {
		s.implicitRedirect(c, p, client, u, granted)
		return
	}
	code := newSecret()
	err := s.cfg.Codes.SaveCode(ctx, AuthCode{
		Code:            digest(code),
		ClientID:        client.ID,
		Subject:         u.Subject,
		Username:        username,
		RedirectURI:     p.RedirectURI,
		Challenge:       p.Challenge,
		ChallengeMethod: p.Method,
		Scopes:          granted,
		ExpiresAt:       s.cfg.Now().Add(s.cfg.CodeTTL),
	})
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: authorization code save failed", "error", err)
		s.renderError(c, errorPage(http.StatusInternalServerError, "The server failed. Please try again later."))
		return
	}
	q := url.Values{"code": {code}}
	if p.State != "" {
		q.Set("state", p.State)
	}
	c.Redirect(http.StatusFound, appendQuery(p.RedirectURI, q))
}

// checkAuthorize validates an authorization request. The client and its
// redirect_uri are checked first and fail with an error page: redirecting to
// an unchecked address would make the server an open redirector. Every
// later failure goes back to the client (RFC 6749 §4.1.2.1).
func (s *Server) checkAuthorize(ctx context.Context, v url.Values) (authzParams, *Client, *authzFailure) {
	var p authzParams
	ids, oerr := params(v, "client_id", "redirect_uri")
	if oerr != nil {
		return p, nil, errorPage(http.StatusBadRequest, "The request repeats client_id or redirect_uri.")
	}
	p.ClientID, p.RedirectURI = ids[0], ids[1]
	if p.ClientID == "" {
		return p, nil, errorPage(http.StatusBadRequest, "The request has no client_id.")
	}
	cl, found, err := s.cfg.Clients.LookupClient(ctx, p.ClientID)
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: client lookup failed", "client_id", p.ClientID, "error", err)
		return p, nil, errorPage(http.StatusInternalServerError, "The server failed. Please try again later.")
	}
	if !found {
		return p, nil, errorPage(http.StatusBadRequest, "The client is not registered.")
	}
	if p.RedirectURI == "" {
		return p, nil, errorPage(http.StatusBadRequest, "The request has no redirect_uri.")
	}
	if !slices.Contains(cl.RedirectURIs, p.RedirectURI) || !validRedirect(p.RedirectURI) {
		return p, nil, errorPage(http.StatusBadRequest, "The redirect_uri is not registered for this client.")
	}
	// From here on, errors are redirected, and carry the state back when
	// there is exactly one.
	state, oerr := param(v, "state")
	if oerr != nil {
		return p, nil, redirectError(codeInvalidRequest, oerr.description)
	}
	p.State = state
	rest, oerr := params(v, "response_type", "scope", "code_challenge", "code_challenge_method")
	if oerr != nil {
		return p, nil, redirectError(codeInvalidRequest, oerr.description)
	}
	p.ResponseType, p.Scope, p.Challenge, p.Method = rest[0], rest[1], rest[2], rest[3]
	switch {
	case p.ResponseType == "":
		return p, nil, redirectError(codeInvalidRequest, "response_type is required")
	case p.ResponseType == responseToken && !slices.Contains(cl.Grants, GrantImplicit):
		return p, nil, redirectError(codeUnsupportedResponseType, "response_type=token is not enabled for this client; use response_type=code")
	case p.ResponseType != responseCode && p.ResponseType != responseToken:
		return p, nil, redirectError(codeUnsupportedResponseType, "only response_type=code is supported")
	case p.ResponseType == responseToken:
		// The implicit grant has no token request, so PKCE cannot apply.
		p.implicit = true
	case !clientMay(&cl, GrantAuthorizationCode):
		return p, nil, redirectError(codeUnauthorizedClient, "the client may not use the authorization code grant")
	case p.Challenge == "":
		return p, nil, redirectError(codeInvalidRequest, "code_challenge is required (PKCE)")
	case p.Method != pkceS256:
		return p, nil, redirectError(codeInvalidRequest, "code_challenge_method must be S256")
	case !validChallenge(p.Challenge):
		return p, nil, redirectError(codeInvalidRequest, "code_challenge is not a base64url SHA-256 digest")
	}
	if _, oerr := s.parseScope(p.Scope); oerr != nil {
		return p, nil, &authzFailure{oerr: oerr}
	}
	return p, &cl, nil
}

// validRedirect reports whether u is an absolute URI without fragment
// (RFC 6749 §3.1.2), so that parameters can be appended to it.
func validRedirect(u string) bool {
	parsed, err := url.Parse(u)
	return err == nil && parsed.Scheme != "" && !strings.Contains(u, "#")
}

// appendQuery adds q to the query of uri, keeping the query it has.
func appendQuery(uri string, q url.Values) string {
	switch {
	case !strings.Contains(uri, "?"):
		return uri + "?" + q.Encode()
	case strings.HasSuffix(uri, "?"), strings.HasSuffix(uri, "&"):
		return uri + q.Encode()
	default:
		return uri + "&" + q.Encode()
	}
}

// fail answers a refused authorization request.
func (s *Server) fail(c *gin.Context, p authzParams, f *authzFailure) {
	if f.page {
		s.renderError(c, f)
		return
	}
	q := url.Values{"error": {f.oerr.code}, "error_description": {f.oerr.description}}
	if p.State != "" {
		q.Set("state", p.State)
	}
	if p.implicit {
		// The implicit grant answers in the fragment (RFC 6749 §4.2.2.1).
		c.Redirect(http.StatusFound, p.RedirectURI+"#"+q.Encode())
		return
	}
	c.Redirect(http.StatusFound, appendQuery(p.RedirectURI, q))
}

// implicitRedirect finishes the implicit grant (RFC 6749 §4.2.2): it issues
// an access token and sends it back in the redirect URI's fragment, which
// browsers do not send to servers. No refresh token is issued. The grant is
// kept for clients that still need it; OAuth 2.0 Security Best Current
// Practice discourages it in favour of the code grant with PKCE.
func (s *Server) implicitRedirect(c *gin.Context, p authzParams, client *Client, u User, granted []string) {
	ctx := c.Request.Context()
	at, ttl, err := s.cfg.Issuer.IssueAccessToken(ctx, u.Subject, client.ID, granted)
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: access token issue failed", "error", err)
		s.renderError(c, errorPage(http.StatusInternalServerError, "The server failed. Please try again later."))
		return
	}
	q := url.Values{
		"access_token": {at},
		"token_type":   {"bearer"},
		"expires_in":   {strconv.FormatInt(int64(ttl.Round(time.Second)/time.Second), 10)},
		"scope":        {strings.Join(granted, " ")},
	}
	if p.State != "" {
		q.Set("state", p.State)
	}
	c.Redirect(http.StatusFound, p.RedirectURI+"#"+q.Encode())
}
