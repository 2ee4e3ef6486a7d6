package jwtpasswords_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/docs/examples/jwtpasswords"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
	"github.com/portcullis/portcullis/security/token"
)

func TestTokensAndRotation(t *testing.T) {
	var (
		keys   *token.KeySet
		issuer *token.Issuer
	)
	quiet := framework.Logger(slog.New(slog.DiscardHandler))
	app := frameworktest.Start(t, jwtpasswords.App(quiet), fx.Populate(&keys, &issuer))

	issue := func(opts ...token.IssueOption) string {
		raw, _, err := issuer.Issue("johndoe", nil, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	call := func(t *testing.T, tok string, wantStatus int, wantChallenge string) {
		t.Helper()
		resp := app.Get("/whoami", frameworktest.Bearer(tok)...)
		if resp.StatusCode != wantStatus {
			t.Fatalf("status %d, want %d: %s", resp.StatusCode, wantStatus, resp.Body)
		}
		if got := resp.Header.Get("WWW-Authenticate"); got != wantChallenge {
			t.Errorf("WWW-Authenticate %q, want %q", got, wantChallenge)
		}
	}
	jwksKeys := func(t *testing.T) int {
		t.Helper()
		resp := app.Get("/.well-known/jwks.json")
		var set token.JWKS
		resp.JSON(t, &set)
		if strings.Contains(string(resp.Body), `"d"`) {
			t.Errorf("the JWKS publishes a private key: %s", resp.Body)
		}
		return len(set.Keys)
	}

	first := issue()
	t.Run("no token", func(t *testing.T) {
		resp := app.Get("/whoami")
		if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("got %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	})
	t.Run("valid token", func(t *testing.T) { call(t, first, http.StatusOK, "") })
	t.Run("expired token", func(t *testing.T) {
		past, err := token.NewIssuer(token.IssuerConfig{
			Issuer: jwtpasswords.Issuer, Audience: []string{jwtpasswords.Audience}, Keys: keys,
			Now: func() time.Time { return time.Now().Add(-2 * time.Hour) },
		})
		if err != nil {
			t.Fatal(err)
		}
		raw, _, err := past.Issue("johndoe", nil)
		if err != nil {
			t.Fatal(err)
		}
		call(t, raw, http.StatusUnauthorized, `Bearer error="invalid_token", error_description="token expired"`)
	})
	t.Run("token for another audience", func(t *testing.T) {
		call(t, issue(token.WithAudience("other-api")), http.StatusUnauthorized,
			`Bearer error="invalid_token", error_description="invalid token"`)
	})
	t.Run("one key published", func(t *testing.T) {
		if n := jwksKeys(t); n != 1 {
			t.Errorf("%d keys, want 1", n)
		}
	})

	// region: rotate
	next, err := token.GenerateKey(token.RS256)
	if err != nil {
		t.Fatal(err)
	}
	old := keys.SigningKeyID()
	keys.Rotate(next) // new tokens are signed with next; old ones still verify
	// endregion

	second := issue()
	t.Run("after rotation both keys verify", func(t *testing.T) {
		call(t, first, http.StatusOK, "")
		call(t, second, http.StatusOK, "")
		if n := jwksKeys(t); n != 2 {
			t.Errorf("%d keys, want 2", n)
		}
	})

	// region: retire
	keys.Retire(old) // once every token of the old key has expired
	// endregion

	t.Run("after retiring the old key", func(t *testing.T) {
		call(t, first, http.StatusUnauthorized, `Bearer error="invalid_token", error_description="invalid token"`)
		call(t, second, http.StatusOK, "")
		if n := jwksKeys(t); n != 1 {
			t.Errorf("%d keys, want 1", n)
		}
	})
}
