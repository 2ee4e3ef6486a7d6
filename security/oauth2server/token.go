package oauth2server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// tokenResponse is the successful answer of RFC 6749 §5.1. Scope is always
// written, even when empty, so clients need not guess what they got.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
}

// errorResponse is the error answer of RFC 6749 §5.2, with the description
// repeated as "detail", the field FastAPI clients and this project's problem
// details read.
type errorResponse struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	Detail           string `json:"detail"`
}

// TokenHandler returns the token endpoint. Mount it on POST; other methods
// get 405. It accepts only application/x-www-form-urlencoded bodies and
// answers with JSON, never cached.
func (s *Server) TokenHandler() gin.HandlerFunc {
	return func(c *gin.Context) {
		resp, oerr := s.token(c)
		if oerr != nil {
			if oerr.status == http.StatusMethodNotAllowed {
				c.Header("Allow", http.MethodPost)
			}
			s.writeError(c, oerr)
			return
		}
		writeJSON(c, http.StatusOK, resp)
	}
}

func (s *Server) token(c *gin.Context) (*tokenResponse, *oauthError) {
	r := c.Request
	ctx := r.Context()
	if r.Method != http.MethodPost {
		return nil, &oauthError{status: http.StatusMethodNotAllowed, code: codeInvalidRequest, description: "the token endpoint only accepts POST"}
	}
	form, oerr := readForm(r, s.cfg.MaxBodyBytes)
	if oerr != nil {
		return nil, oerr
	}
	grant, oerr := param(form, "grant_type")
	if oerr != nil {
		return nil, oerr
	}
	if grant == "" {
		grant = GrantPassword
	}
	if !s.grantEnabled(grant) {
		return nil, &oauthError{status: http.StatusBadRequest, code: codeUnsupportedGrantType, description: "unsupported grant_type"}
	}
	creds, oerr := readClientCreds(r, form)
	if oerr != nil {
		return nil, oerr
	}
	var username string
	if grant == GrantPassword {
		if username, oerr = param(form, "username"); oerr != nil {
			return nil, oerr
		}
	}
	// Rate limiting comes before any hashing, client secrets included.
	if oerr := s.checkRate(c.ClientIP(), username); oerr != nil {
		return nil, oerr
	}
	client, oerr := s.authenticateClient(ctx, creds)
	if oerr != nil {
		return nil, oerr
	}
	if client == nil && (grant == GrantClientCredentials || grant == GrantAuthorizationCode) {
		return nil, invalidClient("client authentication is required for this grant", creds.basic)
	}
	if !clientMay(client, grant) {
		return nil, unauthorizedClient("the client may not use the " + grant + " grant")
	}

	switch grant {
	case GrantPassword:
		return s.passwordGrant(ctx, form, client)
	case GrantClientCredentials:
		return s.clientCredentialsGrant(ctx, form, client)
	case GrantRefreshToken:
		return s.refreshGrant(ctx, form, client)
	default: // GrantAuthorizationCode; grantEnabled ruled out anything else
		return s.codeGrant(ctx, form, client)
	}
}

// grantEnabled reports whether the configuration supports grant.
func (s *Server) grantEnabled(grant string) bool {
	switch grant {
	case GrantPassword:
		return s.cfg.Users != nil
	case GrantClientCredentials:
		return s.cfg.Clients != nil
	case GrantRefreshToken:
		return s.cfg.Refresh != nil
	case GrantAuthorizationCode:
		return s.cfg.Codes != nil
	}
	return false
}

// issued describes what a successful grant hands out.
type issued struct {
	subject  string
	username string
	client   *Client
	scopes   []string
	// refresh asks for a refresh token with refreshScopes, in family (a new
	// family when empty).
	refresh       bool
	refreshScopes []string
	family        string
}

// issue asks the issuer for an access token and, when asked, stores a new
// refresh token.
func (s *Server) issue(ctx context.Context, is issued) (*tokenResponse, *oauthError) {
	at, ttl, err := s.cfg.Issuer.IssueAccessToken(ctx, is.subject, clientID(is.client), is.scopes)
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: access token issue failed", "error", err)
		return nil, serverError()
	}
	resp := &tokenResponse{
		AccessToken: at,
		TokenType:   "bearer",
		ExpiresIn:   int64(ttl.Round(time.Second) / time.Second),
		Scope:       strings.Join(is.scopes, " "),
	}
	if !is.refresh {
		return resp, nil
	}
	rt := newSecret()
	family := is.family
	if family == "" {
		family = newSecret()
	}
	err = s.cfg.Refresh.SaveRefresh(ctx, RefreshToken{
		ID:        digest(rt),
		FamilyID:  family,
		Subject:   is.subject,
		Username:  is.username,
		ClientID:  clientID(is.client),
		Scopes:    is.refreshScopes,
		ExpiresAt: s.cfg.Now().Add(s.cfg.RefreshTTL),
	})
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: refresh token save failed", "error", err)
		return nil, serverError()
	}
	resp.RefreshToken = rt
	return resp, nil
}

// wantsRefresh reports whether a user grant through client should come with
// a refresh token.
func (s *Server) wantsRefresh(client *Client) bool {
	return s.cfg.Refresh != nil && clientMay(client, GrantRefreshToken)
}

// writeError writes an RFC 6749 §5.2 error answer.
func (s *Server) writeError(c *gin.Context, e *oauthError) {
	if e.basic {
		c.Header("WWW-Authenticate", `Basic realm="`+quoteEscape(s.cfg.Realm)+`", charset="UTF-8"`)
	}
	if e.retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(e.retryAfter))
	}
	writeJSON(c, e.status, errorResponse{Error: e.code, ErrorDescription: e.description, Detail: e.description})
}

// writeJSON writes v with the no-store headers RFC 6749 §5.1 requires.
func writeJSON(c *gin.Context, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Both response types hold only strings and integers.
		status, body = http.StatusInternalServerError, []byte(`{"error":"server_error","error_description":"internal error","detail":"internal error"}`)
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Pragma", "no-cache")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(status, "application/json;charset=UTF-8", body)
}

// quoteEscape escapes s for an HTTP quoted-string.
func quoteEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}
