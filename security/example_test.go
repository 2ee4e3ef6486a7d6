package security_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/security"
)

// An API key scheme guards a plain gin route, without the framework.
func ExampleAPIKeyHeader_HandlerFunc() {
	gin.SetMode(gin.ReleaseMode)
	apiKey := security.APIKeyHeader{Name: "X-API-Key", Validate: security.StaticKeys("demo-api-key")}

	r := gin.New()
	r.GET("/reports", apiKey.HandlerFunc(), func(c *gin.Context) {
		key, _ := security.From[security.APIKeyHeader](c)
		c.JSON(http.StatusOK, gin.H{"key_length": len(key.Key())})
	})

	for _, key := range []string{"", "wrong", "demo-api-key"} {
		req := httptest.NewRequest(http.MethodGet, "/reports", nil)
		if key != "" {
			req.Header.Set("X-API-Key", key)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"), strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// 401 APIKey {"type":"about:blank","title":"Unauthorized","status":401,"detail":"Not authenticated: no API key in header X-API-Key"}
	// 401 APIKey {"type":"about:blank","title":"Unauthorized","status":401,"detail":"Invalid API key"}
	// 200  {"key_length":12}
}

// The OpenAPI description of a password-flow scheme, as the framework puts
// it in components.securitySchemes.
func ExampleOAuth2PasswordBearer_OpenAPI() {
	oauth2 := security.OAuth2PasswordBearer{
		TokenURL: "/token",
		Scopes:   security.Scopes{"me": "Read your profile.", "items": "Read your items."},
	}
	out, _ := json.Marshal(oauth2.OpenAPI())
	fmt.Println(string(out))
	fmt.Println(oauth2.ScopeNames())
	// Output:
	// {"flows":{"password":{"scopes":{"items":"Read your items.","me":"Read your profile."},"tokenUrl":"/token"}},"type":"oauth2"}
	// [items me]
}

// A token endpoint binds the password form; the client may authenticate
// with HTTP Basic instead of form fields.
func ExampleOAuth2PasswordRequestForm_BindRequest() {
	body := "grant_type=password&username=johndoe&password=secret&scope=me+items"
	req := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("demo-client", "demo-secret")

	var form security.OAuth2PasswordRequestForm
	if err := form.BindRequest(req); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(form.Username, form.Scopes, form.ClientID)

	// A form without a password is a 422 with one entry per field.
	req = httptest.NewRequest(http.MethodPost, "/token", strings.NewReader("username=johndoe"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var fe *security.FormError
	if err := form.BindRequest(req); errors.As(err, &fe) {
		fmt.Println(fe.StatusCode(), fe.Fields)
	}
	// Output:
	// johndoe [me items] demo-client
	// 422 [{form password field required}]
}

// The challenge of a 403 for a token that lacks scopes.
func ExampleBearerChallenge() {
	fmt.Println(security.BearerChallenge("", "insufficient_scope", "", "me items"))
	// Output:
	// Bearer error="insufficient_scope", scope="me items"
}

// Reading the token of a request; any other auth-scheme counts as none.
func ExampleBearerToken() {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "bearer abc.def")
	tok, err := security.BearerToken(req)
	fmt.Println(tok, err)

	req.SetBasicAuth("u", "p")
	_, err = security.BearerToken(req)
	fmt.Println(err)
	// Output:
	// abc.def <nil>
	// security: no credentials: no bearer token
}
