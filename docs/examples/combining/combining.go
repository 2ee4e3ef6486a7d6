// Package combining is the example of the combining guide: two schemes
// required together (AND), either of two (OR), and an optional one.
package combining

import (
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/docs/examples/passwordflow"
	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/token"
)

var oauth2 = security.OAuth2PasswordBearer{TokenURL: "/token"}

// region: and

// Audit is the answer of GET /audit.
type Audit struct {
	User string `json:"user"`
}

// audit declares two parameters, so it needs both: a valid bearer token AND
// the API key.
func audit(c *token.Claims, _ security.APIKeyHeader) Audit {
	return Audit{User: c.Subject}
}

// endregion

// region: or

// Reports is the answer of GET /reports.
type Reports struct {
	By string `json:"by"`
}

// reports accepts a bearer token OR the API key. The token is tried first;
// when neither works, the 401 carries both challenges.
func reports(who framework.AnyOf2[*token.Claims, security.APIKeyHeader]) Reports {
	if c, ok := who.First(); ok {
		return Reports{By: c.Subject}
	}
	return Reports{By: "api key"}
}

// endregion

// region: optional

// Listing is the answer of GET /items.
type Listing struct {
	Viewer *string  `json:"viewer"`
	Items  []string `json:"items"`
}

// items works without a token. A token that is sent is still verified: an
// invalid one gets 401, never the anonymous answer.
func items(viewer framework.Optional[*token.Claims]) Listing {
	out := Listing{Items: []string{"foo", "bar"}}
	if c, ok := viewer.Get(); ok {
		out.Viewer = &c.Subject
	}
	return out
}

// endregion

// region: app

// App is the example app. secret signs the tokens; apiKey is the one key the
// API key scheme accepts.
func App(secret []byte, apiKey string, opts ...framework.Option) fx.Option {
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("Combining schemes")}, opts...)...),
		passwordflow.Module(secret),
		framework.Security(oauth2, security.APIKeyHeader{Name: "X-API-Key", Validate: security.StaticKeys(apiKey)}),
		framework.Provide(token.BearerClaims[security.OAuth2PasswordBearer]),
		framework.Routes(func(r *framework.Router) {
			r.GET("/audit", audit)
			r.GET("/reports", reports)
			r.GET("/items", items)
		}),
	)
}

// endregion
