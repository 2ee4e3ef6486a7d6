// Package apikeys is the example of the API keys guide: one key accepted in
// a header, in the query or in a cookie.
package apikeys

import (
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

// region: schemes

// schemes returns the three API key schemes. StaticKeys compares the
// SHA-256 of the presented key with those of the accepted keys using
// crypto/subtle, and looks at every accepted key, so timing reveals neither
// which key matched nor how much of a key was right.
func schemes(keys ...string) (security.APIKeyHeader, security.APIKeyQuery, security.APIKeyCookie) {
	valid := security.StaticKeys(keys...)
	return security.APIKeyHeader{Name: "X-API-Key", Validate: valid},
		security.APIKeyQuery{Name: "api_key", Validate: valid},
		security.APIKeyCookie{Name: "api_key", Validate: valid}
}

// endregion

// region: handlers

// Answer is what the API key routes return.
type Answer struct {
	Via string `json:"via"`
}

func viaHeader(security.APIKeyHeader) Answer { return Answer{Via: "header"} }
func viaQuery(security.APIKeyQuery) Answer   { return Answer{Via: "query"} }
func viaCookie(security.APIKeyCookie) Answer { return Answer{Via: "cookie"} }

// endregion

// region: app

// App is the example app; keys are the accepted API keys.
func App(keys []string, opts ...framework.Option) fx.Option {
	header, query, cookie := schemes(keys...)
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("API keys")}, opts...)...),
		framework.Security(header, query, cookie),
		framework.Routes(func(r *framework.Router) {
			r.GET("/api-key/header", viaHeader)
			r.GET("/api-key/query", viaQuery)
			r.GET("/api-key/cookie", viaCookie)
		}),
	)
}

// endregion
