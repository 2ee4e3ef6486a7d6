// Package deploying is the example of the deploying guide: trusted proxies,
// the signing secret from the environment, and settings for several
// instances.
package deploying

import (
	"fmt"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/token"
)

// region: secret

// SecretFromEnv reads the HS256 signing secret. Every instance must read the
// same one, or tokens from one instance fail on the others. A missing or
// short secret stops the app rather than signing with a weak key.
func SecretFromEnv(getenv func(string) string) ([]byte, error) {
	secret := getenv("JWT_SECRET")
	if len(secret) < token.MinHMACSecret {
		return nil, fmt.Errorf("deploying: JWT_SECRET must hold at least %d bytes, got %d: %w",
			token.MinHMACSecret, len(secret), ErrNoSecret)
	}
	return []byte(secret), nil
}

// endregion

// region: proxies

// TrustProxies makes gin believe X-Forwarded-For only from the given
// addresses (the load balancer's), so ClientIP, which the token endpoint's
// rate limiter uses, is the real client's address and cannot be forged.
func TrustProxies(cidrs ...string) fx.Option {
	return fx.Invoke(func(e *gin.Engine) error {
		if err := e.SetTrustedProxies(cidrs); err != nil {
			return fmt.Errorf("deploying: trusted proxies: %w", err)
		}
		return nil
	})
}

// endregion

// ClientIP is the answer of GET /ip.
type ClientIP struct {
	IP string `json:"ip"`
}

func clientIP(c *gin.Context) ClientIP { return ClientIP{IP: c.ClientIP()} }

// Whoami is the answer of GET /whoami.
type Whoami struct {
	Username string `json:"username"`
}

func whoami(c *token.Claims) Whoami { return Whoami{Username: c.Subject} }

// region: app

// App is one instance of the example. Run as many as you like behind a load
// balancer: they share the secret, so a token from one works on all.
func App(secret []byte, proxies []string, opts ...framework.Option) fx.Option {
	base := []framework.Option{
		framework.Title("Deploying"),
		framework.ShutdownTimeout(20 * time.Second), // let in-flight requests finish
	}
	return fx.Options(
		framework.Module(append(base, opts...)...),
		TrustProxies(proxies...),
		passwordflow.Module(secret),
		framework.Security(security.OAuth2PasswordBearer{TokenURL: "/token"}),
		framework.Provide(token.BearerClaims[security.OAuth2PasswordBearer]),
		framework.Routes(func(r *framework.Router) {
			r.GET("/ip", clientIP)
			r.GET("/whoami", whoami)
		}),
	)
}

// endregion
