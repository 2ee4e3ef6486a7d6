package oauth2server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// clientCreds are the client credentials of a token request.
type clientCreds struct {
	id, secret string
	// basic is true when they came in an Authorization: Basic header.
	basic bool
}

// readClientCreds finds the client credentials in the Authorization header
// or in the body (RFC 6749 §2.3.1). Using both for the secret is an invalid
// request; a client_id in the body may repeat the Basic user name. Basic
// values are form-urlencoded before they are base64 encoded, so they are
// decoded here. An empty Basic pair (":") counts as no client at all, which
// is what Swagger UI sends when no client is configured. A request with more
// than one Authorization header is refused: which of them authenticates the
// client would otherwise depend on their order.
func readClientCreds(r *http.Request, form url.Values) (clientCreds, *oauthError) {
	if len(r.Header.Values("Authorization")) > 1 {
		return clientCreds{}, invalidRequest("the request has more than one Authorization header")
	}
	vals, oerr := params(form, "client_id", "client_secret")
	if oerr != nil {
		return clientCreds{}, oerr
	}
	formID, formSecret := vals[0], vals[1]

	auth := r.Header.Get("Authorization")
	if auth == "" || !hasBasicPrefix(auth) {
		return clientCreds{id: formID, secret: formSecret}, nil
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		return clientCreds{}, invalidClient("malformed Basic credentials", true)
	}
	id, err1 := url.QueryUnescape(user)
	secret, err2 := url.QueryUnescape(pass)
	if err1 != nil || err2 != nil {
		return clientCreds{}, invalidClient("Basic credentials must be form-urlencoded", true)
	}
	if id == "" && secret == "" {
		return clientCreds{id: formID, secret: formSecret}, nil
	}
	if formSecret != "" {
		return clientCreds{}, invalidRequest("use either HTTP Basic or client_secret in the body, not both")
	}
	if formID != "" && formID != id {
		return clientCreds{}, invalidRequest("client_id in the body differs from the one in the Authorization header")
	}
	return clientCreds{id: id, secret: secret, basic: true}, nil
}

func hasBasicPrefix(auth string) bool {
	const p = "Basic "
	return len(auth) >= len(p) && strings.EqualFold(auth[:len(p)], p)
}

// authenticateClient checks creds against the client store. It returns nil
// and no error when the request names no client. A public client is
// identified by its id alone and must not send a secret; a confidential
// client must send its secret, which is verified with the password hasher.
// An unknown client with a secret costs the same hashing work as a known
// one.
func (s *Server) authenticateClient(ctx context.Context, creds clientCreds) (*Client, *oauthError) {
	if creds.id == "" {
		if creds.secret != "" {
			return nil, invalidRequest("client_secret was sent without client_id")
		}
		return nil, nil
	}
	const failed = "client authentication failed"
	if s.cfg.Clients == nil || len(creds.secret) > maxSecretLen {
		return nil, invalidClient(failed, creds.basic)
	}
	cl, found, err := s.cfg.Clients.LookupClient(ctx, creds.id)
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: client lookup failed", "client_id", creds.id, "error", err)
		return nil, serverError()
	}
	switch {
	case !found:
		if creds.secret != "" {
			s.cfg.Hasher.VerifyDummy(ctx, creds.secret)
		}
		return nil, invalidClient(failed, creds.basic)
	case cl.Public:
		if creds.secret != "" {
			return nil, invalidClient("public clients have no secret", creds.basic)
		}
		return &cl, nil
	case creds.secret == "" || cl.SecretHash == "":
		return nil, invalidClient(failed, creds.basic)
	}
	ok, _, err := s.cfg.Hasher.Verify(ctx, cl.SecretHash, creds.secret)
	if err != nil {
		s.cfg.Logger.ErrorContext(ctx, "oauth2server: client secret hash cannot be verified", "client_id", cl.ID, "error", err)
		return nil, invalidClient(failed, creds.basic)
	}
	if !ok {
		return nil, invalidClient(failed, creds.basic)
	}
	return &cl, nil
}

// clientMay reports whether client may use grant. A nil client (a password
// login without client) may use the user grants.
func clientMay(client *Client, grant string) bool {
	if client == nil {
		return grant == GrantPassword || grant == GrantRefreshToken
	}
	if client.Public && grant == GrantClientCredentials {
		return false
	}
	return len(client.Grants) == 0 || slices.Contains(client.Grants, grant)
}

// clientID returns the id of client, or "" for none.
func clientID(client *Client) string {
	if client == nil {
		return ""
	}
	return client.ID
}
