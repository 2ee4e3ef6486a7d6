package oas

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/portcullis/portcullis/internal/oas/internal/fixture"
	"github.com/portcullis/portcullis/internal/oas/internal/fixture/api"
	otherstore "github.com/portcullis/portcullis/internal/oas/internal/fixture/other/store"
	"github.com/portcullis/portcullis/internal/oas/internal/fixture/store"
)

// Inputs and results of the test operations.
type (
	filePath struct {
		UserID int64  `uri:"user_id" doc:"The owner." example:"7"`
		Rest   string `uri:"rest"`
	}
	fileQuery struct {
		Q       string    `form:"q" binding:"required,min=2,max=50" doc:"Search text."`
		Sort    string    `form:"sort" binding:"oneof=name date" default:"name"`
		Limit   int       `form:"limit,default=20" binding:"min=1,max=100"`
		Ratio   float64   `form:"ratio" binding:"gt=0,lt=1"`
		Tags    []string  `form:"tag" binding:"max=3,dive,oneof=red 'dark blue'"`
		Since   time.Time `form:"since" time_format:"2006-01-02"`
		Email   string    `form:"email" binding:"email"`
		Contact string    `form:"contact" format:"email"`
		Paged   *bool     `form:"paged"`
		Skipped string    `form:"-"`
	}
	fileHeaders struct {
		Trace  string `header:"X-Trace" binding:"required,uuid"`
		Auth   string `header:"authorization"`
		Accept string `header:"Accept"`
		SID    string `cookie:"sid" doc:"Session id."`
		Nested struct {
			Lang string `header:"Accept-Language"`
		}
	}
	fileInfo struct {
		Name string `json:"name"`
		Size int64  `json:"size"`
	}
)

type (
	address struct {
		Street string `json:"street"`
		City   string `json:"city,omitempty"`
	}
	tree struct {
		Name     string `json:"name"`
		Children []tree `json:"children,omitempty"`
	}
	base struct {
		ID      int64     `json:"id"`
		Created time.Time `json:"created"`
	}
	widget struct {
		base
		Name     string            `json:"name" binding:"required,max=40" doc:"Display name." example:"gear"`
		Price    float64           `json:"price" binding:"gte=0"`
		Count    uint8             `json:"count,omitempty"`
		Home     *address          `json:"home,omitempty" doc:"Where it lives."`
		Work     address           `json:"work"`
		Labels   map[string]string `json:"labels"`
		Blob     []byte            `json:"blob,omitempty"`
		Raw      json.RawMessage   `json:"raw,omitempty"`
		Secret   string            `json:"-"`
		Size     int               `json:"size,string"`
		Grid     [2]int            `json:"grid"`
		Tree     tree              `json:"tree"`
		Note     *string           `json:"note"`
		Any      any               `json:"any"`
		Untagged bool
		internal string
	}
	orgPath struct {
		Org    string `uri:"org"`
		DryRun bool   `form:"dry_run"`
	}
	widgetPatch struct {
		Name *string  `json:"name" binding:"required"`
		Home *address `json:"home"`
	}
	auditNote struct {
		Reason string `json:"reason" binding:"required"`
	}
)

type (
	tokenForm struct {
		GrantType string `form:"grant_type" binding:"omitempty,oneof=password client_credentials" doc:"The grant."`
		Username  string `form:"username" example:"johndoe"`
		Password  string `form:"password" format:"password"`
		Scope     string `form:"scope" default:""`
	}
	tokenResponse struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type" example:"bearer"`
		ExpiresIn   int    `json:"expires_in"`
		Scope       string `json:"scope,omitempty"`
	}
)

// User clashes with the fixture packages' User types.
type User struct {
	Login string `json:"login"`
}

func localDupA() reflect.Type {
	type dup struct {
		A int `json:"a"`
	}
	return typeOf[dup]()
}

func localDupB() reflect.Type {
	type dup struct {
		B int `json:"b"`
	}
	return typeOf[dup]()
}

func testSchemes() map[string]*openapi3.SecurityScheme {
	return map[string]*openapi3.SecurityScheme{
		"oauth2": {Type: "oauth2", Flows: &openapi3.OAuthFlows{Password: &openapi3.OAuthFlow{
			TokenURL: "/token", Scopes: map[string]string{"me": "Read your profile.", "items": "Read your items."},
		}}},
		"apiKey": {Type: "apiKey", In: "header", Name: "X-API-Key"},
		"bearer": {Type: "http", Scheme: "bearer", BearerFormat: "JWT"},
		"oidc":   {Type: "openIdConnect", OpenIdConnectUrl: "/.well-known/openid-configuration"},
	}
}

// check is one fact about a built document: the JSON value at a path.
type check struct {
	path []string
	want string // JSON; "<absent>" means the path must not exist
}

func TestGoldenDocuments(t *testing.T) {
	tests := []struct {
		name    string
		info    Info
		tags    [][2]string
		schemes map[string]*openapi3.SecurityScheme
		ops     []Operation
		checks  []check
	}{
		{
			name: "params",
			info: Info{Title: "Params", Version: "1"},
			ops: []Operation{
				{
					Method: "get", Path: "/users/:user_id/files/*rest", OperationID: "listFiles",
					Inputs: []reflect.Type{typeOf[filePath](), typeOf[*fileQuery](), typeOf[fileHeaders]()},
					Result: typeOf[[]fileInfo](), Problems: []int{422},
				},
				{Method: "DELETE", Path: "/orgs/:org", Problems: []int{404}},
			},
			checks: []check{
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "0"},
					`{"description":"The owner.","example":7,"in":"path","name":"user_id","required":true,"schema":{"format":"int64","type":"integer"}}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "1", "name"}, `"rest"`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "2"},
					`{"description":"Search text.","in":"query","name":"q","required":true,"schema":{"maxLength":50,"minLength":2,"type":"string"}}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "3", "schema"},
					`{"default":"name","enum":["name","date"],"type":"string"}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "4", "schema"},
					`{"default":20,"format":"int64","maximum":100,"minimum":1,"type":"integer"}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "5", "schema"},
					`{"exclusiveMaximum":true,"exclusiveMinimum":true,"format":"double","maximum":1,"minimum":0,"type":"number"}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "6", "schema"},
					`{"items":{"enum":["red","dark blue"],"type":"string"},"maxItems":3,"type":"array"}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "7", "schema"}, `{"format":"date","type":"string"}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "8", "schema"}, `{"format":"email","type":"string"}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "9", "schema"}, `{"format":"email","type":"string"}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "10"},
					`{"in":"query","name":"paged","schema":{"type":"boolean"}}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "11"},
					`{"in":"header","name":"X-Trace","required":true,"schema":{"format":"uuid","type":"string"}}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "12"},
					`{"description":"Session id.","in":"cookie","name":"sid","schema":{"type":"string"}}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "13"},
					`{"in":"header","name":"Accept-Language","schema":{"type":"string"}}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "parameters", "14"}, `<absent>`},
				{[]string{"paths", "/orgs/{org}", "delete", "parameters"},
					`[{"in":"path","name":"org","required":true,"schema":{"type":"string"}}]`},
				{[]string{"paths", "/orgs/{org}", "delete", "operationId"}, `"delete_orgs_org"`},
				{[]string{"paths", "/orgs/{org}", "delete", "summary"}, `"Delete orgs org"`},
				{[]string{"paths", "/orgs/{org}", "delete", "responses", "204"}, `{"description":"No Content"}`},
				{[]string{"paths", "/users/{user_id}/files/{rest}", "get", "summary"}, `"List files"`},
				{[]string{"components", "schemas", "fileInfo", "required"}, `["name","size"]`},
			},
		},
		{
			name: "json_body",
			info: Info{Title: "Bodies", Version: "1"},
			ops: []Operation{
				{
					Method: "POST", Path: "/orgs/:org/widgets", OperationID: "createWidget",
					Inputs: []reflect.Type{typeOf[orgPath](), typeOf[widget]()},
					Result: typeOf[*widget](), Status: 201, Problems: []int{400, 422},
				},
				{
					Method: "PATCH", Path: "/orgs/:org/widgets/:id", OperationID: "patchWidget",
					Inputs:   []reflect.Type{typeOf[orgPath](), typeOf[widgetPatch](), typeOf[auditNote]()},
					Problems: []int{404},
				},
				{
					Method: "GET", Path: "/orgs/:org/widgets", OperationID: "listWidgets",
					Inputs: []reflect.Type{typeOf[orgPath]()}, Result: typeOf[fixture.Page[widget]](), Problems: []int{404},
				},
			},
			checks: []check{
				{[]string{"paths", "/orgs/{org}/widgets", "post", "requestBody"},
					`{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/widget-Input"}}},"required":true}`},
				{[]string{"paths", "/orgs/{org}/widgets", "post", "responses", "201", "content", "application/json", "schema"},
					`{"$ref":"#/components/schemas/widget"}`},
				{[]string{"paths", "/orgs/{org}/widgets", "post", "parameters", "1", "name"}, `"dry_run"`},
				{[]string{"components", "schemas", "widget", "required"},
					`["id","created","name","price","work","labels","size","grid","tree","any","Untagged"]`},
				{[]string{"components", "schemas", "widget-Input", "required"}, `["name"]`},
				{[]string{"components", "schemas", "widget", "properties", "home"},
					`{"allOf":[{"$ref":"#/components/schemas/address"}],"description":"Where it lives.","nullable":true,"type":"object"}`},
				{[]string{"components", "schemas", "widget-Input", "properties", "home", "allOf", "0"},
					`{"$ref":"#/components/schemas/address-Input"}`},
				{[]string{"components", "schemas", "widget", "properties", "work"}, `{"$ref":"#/components/schemas/address"}`},
				{[]string{"components", "schemas", "widget", "properties", "labels"},
					`{"additionalProperties":{"type":"string"},"type":"object"}`},
				{[]string{"components", "schemas", "widget", "properties", "blob"}, `{"format":"byte","type":"string"}`},
				{[]string{"components", "schemas", "widget", "properties", "raw"}, `{}`},
				{[]string{"components", "schemas", "widget", "properties", "Secret"}, `<absent>`},
				{[]string{"components", "schemas", "widget", "properties", "internal"}, `<absent>`},
				{[]string{"components", "schemas", "widget", "properties", "size"}, `{"type":"string"}`},
				{[]string{"components", "schemas", "widget", "properties", "grid"},
					`{"items":{"format":"int64","type":"integer"},"maxItems":2,"minItems":2,"type":"array"}`},
				{[]string{"components", "schemas", "widget", "properties", "note"}, `{"nullable":true,"type":"string"}`},
				{[]string{"components", "schemas", "widget", "properties", "created"}, `{"format":"date-time","type":"string"}`},
				{[]string{"components", "schemas", "widget", "properties", "name"},
					`{"description":"Display name.","example":"gear","maxLength":40,"type":"string"}`},
				{[]string{"components", "schemas", "widget", "properties", "count"},
					`{"maximum":255,"minimum":0,"type":"integer"}`},
				{[]string{"components", "schemas", "tree", "properties", "children", "items"}, `{"$ref":"#/components/schemas/tree"}`},
				{[]string{"components", "schemas", "tree", "required"}, `["name"]`},
				{[]string{"components", "schemas", "tree-Input"},
					`{"properties":{"children":{"items":{"$ref":"#/components/schemas/tree-Input"},"type":"array"},"name":{"type":"string"}},"type":"object"}`},
				{[]string{"components", "schemas", "orgPath"}, `<absent>`},
				{[]string{"paths", "/orgs/{org}/widgets/{id}", "patch", "requestBody", "content", "application/json", "schema"},
					`{"allOf":[{"$ref":"#/components/schemas/widgetPatch"},{"$ref":"#/components/schemas/auditNote"}]}`},
				{[]string{"components", "schemas", "widgetPatch"},
					`{"properties":{"home":{"allOf":[{"$ref":"#/components/schemas/address-Input"}],"nullable":true,"type":"object"},"name":{"type":"string"}},"required":["name"],"type":"object"}`},
				{[]string{"paths", "/orgs/{org}/widgets", "get", "responses", "200", "content", "application/json", "schema"},
					`{"$ref":"#/components/schemas/Page_oas.widget"}`},
				{[]string{"components", "schemas", "Page_oas.widget", "properties", "items", "items"},
					`{"$ref":"#/components/schemas/widget"}`},
			},
		},
		{
			name: "form_body",
			info: Info{Title: "Forms", Version: "1"},
			ops: []Operation{
				{
					Method: "POST", Path: "/token", OperationID: "token", FormBody: true,
					Inputs: []reflect.Type{typeOf[tokenForm]()}, Result: typeOf[tokenResponse](), Problems: []int{400, 401},
				},
				{
					Method: "GET", Path: "/token/preview", OperationID: "previewToken", FormBody: true,
					Inputs: []reflect.Type{typeOf[tokenForm]()}, Result: typeOf[tokenResponse](), Problems: []int{400},
				},
				{
					Method: "POST", Path: "/token/query", OperationID: "queryToken",
					Inputs: []reflect.Type{typeOf[tokenForm]()}, Result: typeOf[tokenResponse](), Problems: []int{400},
				},
			},
			checks: []check{
				{[]string{"paths", "/token", "post", "requestBody"},
					`{"content":{"application/x-www-form-urlencoded":{"schema":{"properties":{"grant_type":{"description":"The grant.","enum":["password","client_credentials"],"type":"string"},"password":{"format":"password","type":"string"},"scope":{"default":"","type":"string"},"username":{"example":"johndoe","type":"string"}},"type":"object"}}}}`},
				{[]string{"paths", "/token", "post", "parameters"}, `<absent>`},
				{[]string{"paths", "/token/preview", "get", "requestBody"}, `<absent>`},
				{[]string{"paths", "/token/preview", "get", "parameters", "0", "in"}, `"query"`},
				{[]string{"paths", "/token/query", "post", "parameters", "1", "name"}, `"username"`},
				{[]string{"paths", "/token/query", "post", "requestBody"}, `<absent>`},
				{[]string{"components", "schemas", "tokenResponse", "required"}, `["access_token","token_type","expires_in"]`},
			},
		},
		{
			name:    "security",
			info:    Info{Title: "Security", Version: "1"},
			schemes: testSchemes(),
			ops: []Operation{
				{Method: "GET", Path: "/public", Result: typeOf[map[string]string](), Problems: []int{429}},
				{Method: "GET", Path: "/public/empty", Security: []map[string][]string{}, Problems: []int{429}},
				{Method: "GET", Path: "/users/me/items", Result: typeOf[[]store.Item](),
					Security: []map[string][]string{{"oauth2": {"me", "items"}}}, Problems: []int{401, 403, 500}},
				{Method: "GET", Path: "/reports", Result: typeOf[map[string]int](),
					Security: []map[string][]string{{"bearer": nil}, {"apiKey": {}}}, Problems: []int{401}},
				{Method: "GET", Path: "/both", Security: []map[string][]string{{"oauth2": {"me"}, "apiKey": nil}},
					Problems: []int{401, 403}},
				{Method: "GET", Path: "/items", Result: typeOf[[]store.Item](),
					Security: []map[string][]string{{}, {"bearer": nil}}, Problems: []int{401}},
				{Method: "GET", Path: "/oidc", Security: []map[string][]string{{"oidc": {"openid", "profile"}}},
					Problems: []int{401}},
			},
			checks: []check{
				{[]string{"paths", "/public", "get", "security"}, `[]`},
				{[]string{"paths", "/public/empty", "get", "security"}, `[]`},
				{[]string{"paths", "/users/me/items", "get", "security"}, `[{"oauth2":["me","items"]}]`},
				{[]string{"paths", "/reports", "get", "security"}, `[{"bearer":[]},{"apiKey":[]}]`},
				{[]string{"paths", "/both", "get", "security"}, `[{"apiKey":[],"oauth2":["me"]}]`},
				{[]string{"paths", "/items", "get", "security"}, `[{},{"bearer":[]}]`},
				{[]string{"paths", "/oidc", "get", "security"}, `[{"oidc":["openid","profile"]}]`},
				{[]string{"security"}, `<absent>`},
				{[]string{"paths", "/users/me/items", "get", "responses", "401", "headers", "WWW-Authenticate", "schema"},
					`{"type":"string"}`},
				{[]string{"paths", "/users/me/items", "get", "responses", "403", "content", "application/problem+json", "schema"},
					`{"$ref":"#/components/schemas/Problem"}`},
				{[]string{"paths", "/users/me/items", "get", "responses", "500", "headers"}, `<absent>`},
				{[]string{"paths", "/public", "get", "responses", "429", "description"}, `"Too Many Requests"`},
				{[]string{"components", "schemas", "Problem", "required"}, `["title","status","detail"]`},
				{[]string{"components", "schemas", "ValidationProblem"}, `<absent>`},
				{[]string{"components", "securitySchemes", "bearer"}, `{"bearerFormat":"JWT","scheme":"bearer","type":"http"}`},
			},
		},
		{
			name: "collisions",
			info: Info{Title: "Names", Version: "1"},
			ops: []Operation{
				{Method: "GET", Path: "/a", Result: typeOf[store.User](), Problems: []int{404}},
				{Method: "GET", Path: "/b", Result: typeOf[api.User](), Problems: []int{404}},
				{Method: "GET", Path: "/c", Result: typeOf[otherstore.User](), Problems: []int{404}},
				{Method: "GET", Path: "/d", Result: typeOf[User](), Problems: []int{404}},
				{Method: "GET", Path: "/e", Result: typeOf[api.Problem](), Problems: []int{404}},
				{Method: "GET", Path: "/f", Result: typeOf[fixture.Page[store.Item]](), Problems: []int{404}},
				{Method: "GET", Path: "/g", Result: typeOf[fixture.Page[api.User]](), Problems: []int{404}},
				{Method: "GET", Path: "/h", Result: localDupA(), Problems: []int{404}},
				{Method: "GET", Path: "/i", Result: localDupB(), Problems: []int{404}},
			},
			checks: []check{
				{[]string{"paths", "/a", "get", "responses", "200", "content", "application/json", "schema", "$ref"},
					`"#/components/schemas/FixtureStoreUser"`},
				{[]string{"paths", "/b", "get", "responses", "200", "content", "application/json", "schema", "$ref"},
					`"#/components/schemas/ApiUser"`},
				{[]string{"paths", "/c", "get", "responses", "200", "content", "application/json", "schema", "$ref"},
					`"#/components/schemas/OtherStoreUser"`},
				{[]string{"paths", "/d", "get", "responses", "200", "content", "application/json", "schema", "$ref"},
					`"#/components/schemas/OasUser"`},
				{[]string{"paths", "/e", "get", "responses", "200", "content", "application/json", "schema", "$ref"},
					`"#/components/schemas/ApiProblem"`},
				{[]string{"paths", "/f", "get", "responses", "200", "content", "application/json", "schema", "$ref"},
					`"#/components/schemas/Page_store.Item"`},
				{[]string{"paths", "/g", "get", "responses", "200", "content", "application/json", "schema", "$ref"},
					`"#/components/schemas/Page_api.User"`},
				{[]string{"paths", "/h", "get", "responses", "200", "content", "application/json", "schema", "$ref"},
					`"#/components/schemas/dup"`},
				{[]string{"paths", "/i", "get", "responses", "200", "content", "application/json", "schema", "$ref"},
					`"#/components/schemas/dup_2"`},
				{[]string{"components", "schemas", "Problem", "required"}, `["title","status","detail"]`},
				{[]string{"components", "schemas", "ApiProblem", "properties", "code"}, `{"type":"string"}`},
				{[]string{"components", "schemas", "Page_api.User", "properties", "items", "items"},
					`{"$ref":"#/components/schemas/ApiUser"}`},
				{[]string{"components", "schemas", "Item"}, `{"properties":{"item_id":{"format":"int64","type":"integer"},"owner":{"type":"string"}},"required":["item_id","owner"],"type":"object"}`},
			},
		},
		{
			name:    "sample",
			info:    sampleInfo(),
			tags:    sampleTags,
			schemes: testSchemes(),
			ops:     sampleOperations(),
			checks: []check{
				{[]string{"info", "license"}, `{"name":"MIT","url":"https://opensource.org/license/mit"}`},
				{[]string{"servers"}, `[{"url":"/"}]`},
				{[]string{"tags"}, `[{"description":"Obtain access tokens.","name":"auth"},{"description":"The signed-in user.","name":"users"},{"description":"Reports for API clients.","name":"reports"}]`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := buildDoc(t, tt.info, tt.tags, tt.schemes, tt.ops...)
			var doc any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			for _, c := range tt.checks {
				got, ok := at(doc, c.path)
				where := strings.Join(c.path, " > ")
				if c.want == "<absent>" {
					if ok {
						t.Errorf("%s = %s, want it absent", where, compact(t, got))
					}
					continue
				}
				if !ok {
					t.Errorf("%s is absent, want %s", where, c.want)
					continue
				}
				if g, w := compact(t, got), compact(t, mustDecode(t, c.want)); g != w {
					t.Errorf("%s =\n  %s\nwant\n  %s", where, g, w)
				}
			}
			checkGolden(t, tt.name, data)
		})
	}
}

func sampleInfo() Info {
	return Info{
		Title: "Items API", Version: "1.0.0", Description: "The reference API of the tests.",
		License: License{Name: "MIT", URL: "https://opensource.org/license/mit"},
	}
}

// sampleOperations mirror a part of the example app; the sample document
// is the one linted with Redocly's recommended rules.
func sampleOperations() []Operation {
	return []Operation{
		{Method: "POST", Path: "/token", OperationID: "createToken", Summary: "Obtain an access token",
			Tags: []string{"auth"}, FormBody: true, Inputs: []reflect.Type{typeOf[tokenForm]()},
			Result: typeOf[tokenResponse](), Problems: []int{400, 401, 422}},
		{Method: "GET", Path: "/users/me", OperationID: "readMe", Tags: []string{"users"},
			Result: typeOf[store.User](), Security: []map[string][]string{{"oauth2": {"me"}}}, Problems: []int{401, 403}},
		{Method: "GET", Path: "/users/me/items", OperationID: "readMyItems", Tags: []string{"users"},
			Result: typeOf[[]store.Item](), Security: []map[string][]string{{"oauth2": {"items", "me"}}},
			Problems: []int{401, 403}},
		{Method: "GET", Path: "/reports", OperationID: "readReports", Tags: []string{"reports"},
			Result: typeOf[map[string]int](), Security: []map[string][]string{{"bearer": nil}, {"apiKey": nil}},
			Problems: []int{401}},
		{Method: "GET", Path: "/items", OperationID: "listItems", Tags: []string{"users"},
			Inputs: []reflect.Type{typeOf[struct {
				Limit int `form:"limit,default=10" binding:"min=1,max=100" doc:"How many items to return."`
			}]()},
			Result: typeOf[fixture.Page[store.Item]](), Security: []map[string][]string{{}, {"bearer": nil}},
			Problems: []int{401, 422}},
		{Method: "GET", Path: "/oidc/whoami", OperationID: "whoAmI", Tags: []string{"users"},
			Result: typeOf[api.User](), Security: []map[string][]string{{"oidc": {"openid"}}}, Problems: []int{401}},
	}
}

// sampleTags are declared with descriptions, as the framework would, in
// the order the UI shows them.
var sampleTags = [][2]string{
	{"auth", "Obtain access tokens."},
	{"users", "The signed-in user."},
	{"reports", "Reports for API clients."},
}

// at follows path through decoded JSON; array indexes are decimal strings.
func at(v any, path []string) (any, bool) {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[p]; !ok {
				return nil, false
			}
		case []any:
			i := -1
			for n, c := range p {
				if c < '0' || c > '9' {
					return nil, false
				}
				if n == 0 {
					i = 0
				}
				i = i*10 + int(c-'0')
			}
			if i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad expectation %s: %v", s, err)
	}
	return v
}

func compact(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
