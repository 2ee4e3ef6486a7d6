package app

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/example-app/config"
)

// OpenIDConfiguration is the OpenID Connect discovery document
// (OpenID Connect Discovery 1.0 §3) the app serves for itself.
type OpenIDConfiguration struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
}

func discovery(cfg config.Config) OpenIDConfiguration {
	return OpenIDConfiguration{
		Issuer:                            cfg.IssuerURL,
		AuthorizationEndpoint:             cfg.IssuerURL + "/authorize",
		TokenEndpoint:                     cfg.IssuerURL + "/token",
		JWKSURI:                           cfg.IssuerURL + "/.well-known/jwks.json",
		ScopesSupported:                   []string{scopeOpenID, scopeMe, scopeItems},
		ResponseTypesSupported:            []string{"code", "token"},
		GrantTypesSupported:               []string{"authorization_code", "implicit", "password", "client_credentials", "refresh_token"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  []string{"ES256"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post", "none"},
		CodeChallengeMethodsSupported:     []string{"S256"},
	}
}

// discoveryHandler serves the discovery document.
func discoveryHandler(cfg config.Config) gin.HandlerFunc {
	doc := discovery(cfg)
	return func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=300")
		c.JSON(http.StatusOK, doc)
	}
}
