package app

import (
	"bytes"
	"context"
	"io"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/example-app/store"
	"github.com/portcullis/portcullis/security/oauth2server"
)

// The demo client serves two kinds of caller. Swagger UI's Authorize
// dialog sends client_id demo-client without a secret in the password and
// authorization-code (PKCE) flows, as a browser app must; the
// client-credentials flow sends demo-secret. The authorization server
// treats a client as either public or confidential, so demoClients presents
// demo-client as a public client to requests that carry no client secret
// (PKCE is then required for the code flow, and client credentials are
// refused), and as the confidential client it is stored as to requests that
// carry one, whose secret is verified. Other clients are returned as
// stored.

// secretSentKey marks, in a token or authorization request's context,
// whether the request carries a client secret.
type secretSentKey struct{}

// maxPeekBytes bounds how much of a body withSecretFlag reads; the server
// refuses larger token requests anyway.
const maxPeekBytes = oauth2server.DefaultMaxBodyBytes

// withSecretFlag wraps an oauth2server handler: it records whether the
// request carries a client secret, in the form or as HTTP Basic, and puts
// the body back for the handler to read.
func withSecretFlag(next gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		sent := false
		if _, pw, ok := r.BasicAuth(); ok && pw != "" {
			sent = true
		}
		if r.Body != nil {
			peek, err := io.ReadAll(io.LimitReader(r.Body, maxPeekBytes+1))
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(peek), r.Body), r.Body}
			if err == nil {
				if form, perr := url.ParseQuery(string(peek)); perr == nil && form.Get("client_secret") != "" {
					sent = true
				}
			}
		}
		c.Request = r.WithContext(context.WithValue(r.Context(), secretSentKey{}, sent))
		next(c)
	}
}

// demoClients is the ClientStore of the authorization server.
type demoClients struct {
	st *store.Store
}

// LookupClient implements oauth2server.ClientStore.
func (d demoClients) LookupClient(ctx context.Context, id string) (oauth2server.Client, bool, error) {
	c, found, err := d.st.LookupClient(ctx, id)
	if err != nil || !found || id != store.DemoClientID {
		return c, found, err
	}
	if sent, _ := ctx.Value(secretSentKey{}).(bool); !sent {
		c.Public = true
		c.SecretHash = ""
	}
	return c, true, nil
}
