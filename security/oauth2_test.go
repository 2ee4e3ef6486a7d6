package security

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/gin-gonic/gin"
)

// Every scheme of this package is a Scheme with a gin adapter, and the token
// schemes are TokenCredentials.
var (
	_ Scheme = APIKeyHeader{}
	_ Scheme = APIKeyQuery{}
	_ Scheme = APIKeyCookie{}
	_ Scheme = HTTPBasic{}

	_ TokenCredential = HTTPBearer{}
	_ TokenCredential = OAuth2PasswordBearer{}
	_ TokenCredential = OAuth2ClientCredentials{}
	_ TokenCredential = OAuth2AuthorizationCodeBearer{}
	_ TokenCredential = OAuth2Implicit{}
	_ TokenCredential = OAuth2{}

	_ interface{ HandlerFunc() gin.HandlerFunc } = OAuth2{}
)

// scopeLister is what the framework asks of OAuth2 schemes to check the
// scopes routes require.
type scopeLister interface{ ScopeNames() []string }

func TestScopeNames(t *testing.T) {
	tests := []struct {
		name   string
		scheme scopeLister
		want   []string
	}{
		{"no scopes", OAuth2PasswordBearer{}, []string{}},
		{"sorted", OAuth2PasswordBearer{Scopes: Scopes{"me": "", "items": "", "admin": ""}}, []string{"admin", "items", "me"}},
		{"client credentials", OAuth2ClientCredentials{Scopes: Scopes{"b": "", "a": ""}}, []string{"a", "b"}},
		{"authorization code", OAuth2AuthorizationCodeBearer{Scopes: Scopes{"openid": ""}}, []string{"openid"}},
		{"implicit", OAuth2Implicit{Scopes: Scopes{"x": "", "w": ""}}, []string{"w", "x"}},
		{"general, no flows", OAuth2{}, []string{}},
		{
			name: "general, union of flows without duplicates",
			scheme: OAuth2{Flows: OAuth2Flows{
				Password:          &OAuth2Flow{Scopes: Scopes{"me": "", "items": ""}},
				ClientCredentials: &OAuth2Flow{Scopes: Scopes{"items": "", "admin": ""}},
				AuthorizationCode: &OAuth2Flow{Scopes: Scopes{"openid": ""}},
				Implicit:          &OAuth2Flow{Scopes: Scopes{"me": ""}},
			}},
			want: []string{"admin", "items", "me", "openid"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.scheme.ScopeNames()
			if got == nil || !slices.Equal(got, tt.want) {
				t.Errorf("ScopeNames = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestOAuth2OpenAPI(t *testing.T) {
	tests := []struct {
		name   string
		scheme Scheme
		want   string
	}{
		{
			name:   "password flow without scopes has an empty scopes map",
			scheme: OAuth2PasswordBearer{TokenURL: "/token"},
			want:   `{"type":"oauth2","flows":{"password":{"tokenUrl":"/token","scopes":{}}}}`,
		},
		{
			name: "every flow of the general scheme",
			scheme: OAuth2{Description: "All flows.", Flows: OAuth2Flows{
				Password:          &OAuth2Flow{TokenURL: "/token", RefreshURL: "/refresh"},
				ClientCredentials: &OAuth2Flow{TokenURL: "/token", Scopes: Scopes{"items": "Items."}},
				AuthorizationCode: &OAuth2Flow{AuthorizationURL: "/authorize", TokenURL: "/token", Scopes: Scopes{"me": "Me."}},
				Implicit:          &OAuth2Flow{AuthorizationURL: "/authorize"},
			}},
			want: `{"type":"oauth2","description":"All flows.","flows":{
				"password":{"tokenUrl":"/token","refreshUrl":"/refresh","scopes":{}},
				"clientCredentials":{"tokenUrl":"/token","scopes":{"items":"Items."}},
				"authorizationCode":{"authorizationUrl":"/authorize","tokenUrl":"/token","scopes":{"me":"Me."}},
				"implicit":{"authorizationUrl":"/authorize","scopes":{}}}}`,
		},
		{
			name:   "implicit with refresh URL",
			scheme: OAuth2Implicit{AuthorizationURL: "https://id.example/authorize", RefreshURL: "https://id.example/refresh"},
			want: `{"type":"oauth2","flows":{"implicit":{"authorizationUrl":"https://id.example/authorize",
				"refreshUrl":"https://id.example/refresh","scopes":{}}}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.scheme.OpenAPI()
			got, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := confCanonicalJSON(t, got), confCanonicalJSON(t, []byte(tt.want)); g != w {
				t.Errorf("OpenAPI =\n%s\nwant\n%s", g, w)
			}
			if err := doc.Validate(context.Background()); err != nil {
				t.Errorf("kin-openapi rejects the scheme: %v", err)
			}
		})
	}
}

// TestOAuth2OpenAPIDoesNotAlias checks that the scopes map in the document
// is a copy: editing the document leaves the configured scheme alone.
func TestOAuth2OpenAPIDoesNotAlias(t *testing.T) {
	scopes := Scopes{"me": "Me."}
	s := OAuth2{Flows: OAuth2Flows{Password: &OAuth2Flow{TokenURL: "/token", Scopes: scopes}}}
	s.OpenAPI().Flows.Password.Scopes["admin"] = "Everything."
	if len(scopes) != 1 {
		t.Errorf("the configured scopes changed to %v", scopes)
	}
}
