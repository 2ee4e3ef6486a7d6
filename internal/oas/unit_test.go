package oas

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/portcullis/portcullis/internal/oas/internal/fixture"
	"github.com/portcullis/portcullis/internal/oas/internal/fixture/store"
)

func TestConvertPath(t *testing.T) {
	tests := []struct {
		name, in, want string
		params         []string
	}{
		{"root", "/", "/", nil},
		{"static", "/users/me", "/users/me", nil},
		{"one parameter", "/users/:id", "/users/{id}", []string{"id"}},
		{"parameter then static", "/users/:id/items", "/users/{id}/items", []string{"id"}},
		{"catch-all", "/users/:id/items/*rest", "/users/{id}/items/{rest}", []string{"id", "rest"}},
		{"inside a segment", "/files/v:version", "/files/v{version}", []string{"version"}},
		{"trailing slash kept", "/users/", "/users/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, params, err := convertPath(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || !slices.Equal(params, tt.params) {
				t.Errorf("convertPath(%q) = %q %q, want %q %q", tt.in, got, params, tt.want, tt.params)
			}
		})
	}
}

func TestDeriveOperationID(t *testing.T) {
	tests := []struct{ name, method, path, want string }{
		{"nested", "GET", "/users/me/items", "get_users_me_items"},
		{"parameters", "DELETE", "/users/:id/items/*rest", "delete_users_id_items_rest"},
		{"root", "GET", "/", "get_root"},
		{"punctuation", "POST", "/v1/api-key.json", "post_v1_api_key_json"},
		{"case folded", "PUT", "/Users/ME", "put_users_me"},
		{"non-ASCII dropped", "GET", "/café/x", "get_caf_x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deriveOperationID(tt.method, tt.path); got != tt.want {
				t.Errorf("deriveOperationID(%q, %q) = %q, want %q", tt.method, tt.path, got, tt.want)
			}
		})
	}
}

func TestDeriveSummary(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"camel case", "readMyItems", "Read my items"},
		{"snake case", "get_users_me_items", "Get users me items"},
		{"acronym", "getHTTPStatus", "Get http status"},
		{"acronym at the end", "readJSON", "Read json"},
		{"digits", "listV2Items", "List v2 items"},
		{"only punctuation", "__", "__"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deriveSummary(tt.in); got != tt.want {
				t.Errorf("deriveSummary(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBaseName(t *testing.T) {
	tests := []struct {
		name string
		t    reflect.Type
		want string
	}{
		{"plain", typeOf[store.User](), "User"},
		{"generic", typeOf[fixture.Page[store.Item]](), "Page_store.Item"},
		{"generic of a builtin", typeOf[fixture.Page[int]](), "Page_int"},
		{"generic of a map", typeOf[fixture.Page[map[string]int]](), "Page_map_string_int"},
		{"nested generic", typeOf[fixture.Page[fixture.Page[store.Item]]](), "Page_fixture.Page_store.Item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := baseName(tt.t)
			if got != tt.want {
				t.Errorf("baseName(%s) = %q, want %q", tt.t, got, tt.want)
			}
			if !validName.MatchString(got) {
				t.Errorf("%q is not a valid component name", got)
			}
		})
	}
}

func TestComponentNamesIgnoreOrderOfClashes(t *testing.T) {
	a, b := typeOf[store.User](), typeOf[User]()
	for _, order := range [][]reflect.Type{{a, b}, {b, a}} {
		names := componentNames(order, nil)
		if names[a] != "StoreUser" || names[b] != "OasUser" {
			t.Errorf("order %v: names = %v, want StoreUser and OasUser", order, names)
		}
	}
}

func TestParseBinding(t *testing.T) {
	tests := []struct {
		name string
		tag  string
		want ruleSet
	}{
		{"empty", "", ruleSet{}},
		{"required", "required", ruleSet{required: true}},
		{"aliases", "gte=1,lte=9", ruleSet{bounds: []bound{{"min", 1}, {"max", 9}}}},
		{"oneof with quotes", "oneof=a 'b c' d", ruleSet{oneof: []string{"a", "b c", "d"}}},
		{"format", "omitempty,email", ruleSet{format: "email"}},
		{"alternatives ignored", "required,email|url", ruleSet{required: true}},
		{"unknown ignored", "alpha,excludesall=!", ruleSet{}},
		{"dive", "max=2,dive,required,min=1", ruleSet{bounds: []bound{{"max", 2}},
			items: &ruleSet{required: true, bounds: []bound{{"min", 1}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseBinding(tt.tag)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseBinding(%q) = %+v, want %+v", tt.tag, got, tt.want)
			}
		})
	}
}

func TestIgnoredHeadersAreNeverParameters(t *testing.T) {
	type headers struct {
		A string `header:"Authorization"`
		B string `header:"AUTHORIZATION"`
		C string `header:"accept"`
		D string `header:"Content-Type"`
		E string `header:"X-Kept"`
	}
	data := buildDoc(t, Info{Title: "t", Version: "1"}, nil, nil,
		Operation{Method: "GET", Path: "/", Inputs: []reflect.Type{typeOf[headers]()}})
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	params := doc.Paths["/"]["get"].Parameters
	if len(params) != 1 || params[0].Name != "X-Kept" || params[0].In != "header" {
		t.Errorf("parameters = %+v, want only the header X-Kept", params)
	}
	if strings.Contains(strings.ToLower(string(data)), `"authorization"`) {
		t.Errorf("the document names an Authorization parameter:\n%s", data)
	}
}

func TestDuplicateParametersMerge(t *testing.T) {
	type first struct {
		ID    int    `uri:"id"`
		Trace string `header:"x-trace"`
	}
	type second struct {
		ID    int    `uri:"id" doc:"ignored, the first wins"`
		Trace string `header:"X-Trace" binding:"required"`
	}
	b := NewBuilder(Info{Title: "t", Version: "1"})
	err := b.AddOperation(Operation{Method: "GET", Path: "/x/:id", Inputs: []reflect.Type{typeOf[first](), typeOf[second]()}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := b.Document()
	if err != nil {
		t.Fatal(err)
	}
	params := doc.Paths.Value("/x/{id}").Get.Parameters
	if len(params) != 2 {
		t.Fatalf("%d parameters, want 2", len(params))
	}
	if p := params[0].Value; p.Name != "id" || p.Description != "" || !p.Required {
		t.Errorf("path parameter = %+v", p)
	}
	if p := params[1].Value; p.Name != "x-trace" || !p.Required {
		t.Errorf("header parameter = %+v, want x-trace, required by the second input", p)
	}
}

func TestUnusedSchemesAreLeftOut(t *testing.T) {
	b := NewBuilder(Info{Title: "t", Version: "1"})
	for name, s := range testSchemes() {
		if err := b.AddScheme(name, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.AddOperation(Operation{Method: "GET", Path: "/", Security: []map[string][]string{{"bearer": nil}}}); err != nil {
		t.Fatal(err)
	}
	doc, err := b.Document()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for name := range doc.Components.SecuritySchemes {
		got = append(got, name)
	}
	if !slices.Equal(got, []string{"bearer"}) {
		t.Errorf("securitySchemes = %v, want [bearer]", got)
	}
}

func TestTagsAndServers(t *testing.T) {
	b := NewBuilder(Info{Title: "t", Version: "1", Servers: []string{"https://api.test/v1", "/"}})
	b.AddTag("users", "")
	b.AddTag("auth", "Tokens.")
	b.AddTag("users", "People.")
	b.AddTag("auth", "")
	ops := []Operation{
		{Method: "GET", Path: "/a", Tags: []string{"zeta", "users", "zeta"}},
		{Method: "GET", Path: "/b", Tags: []string{"alpha"}},
	}
	for _, op := range ops {
		if err := b.AddOperation(op); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := b.Document()
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, tag := range doc.Tags {
		tags = append(tags, tag.Name+"="+tag.Description)
	}
	want := []string{"users=People.", "auth=Tokens.", "zeta=", "alpha="}
	if !slices.Equal(tags, want) {
		t.Errorf("tags = %q, want %q", tags, want)
	}
	if got := doc.Paths.Value("/a").Get.Tags; !slices.Equal(got, []string{"zeta", "users"}) {
		t.Errorf("operation tags = %q, want [zeta users]", got)
	}
	if len(doc.Servers) != 2 || doc.Servers[0].URL != "https://api.test/v1" || doc.Servers[1].URL != "/" {
		t.Errorf("servers = %v", doc.Servers)
	}
}

func TestSecurityIsCopied(t *testing.T) {
	scopes := []string{"me"}
	op := Operation{Method: "GET", Path: "/", Security: []map[string][]string{{"oauth2": scopes}}}
	b := NewBuilder(Info{Title: "t", Version: "1"})
	if err := b.AddScheme("oauth2", passwordScheme("")); err != nil {
		t.Fatal(err)
	}
	if err := b.AddOperation(op); err != nil {
		t.Fatal(err)
	}
	scopes[0] = "changed"
	doc, err := b.Document()
	if err != nil {
		t.Fatal(err)
	}
	got := (*doc.Paths.Value("/").Get.Security)[0]["oauth2"]
	if !slices.Equal(got, []string{"me"}) {
		t.Errorf("scopes = %q, want [me]: the builder must keep its own copy", got)
	}
}

func TestMarshal(t *testing.T) {
	b := NewBuilder(Info{Title: "Q & A <API>", Version: "1"})
	if err := b.AddOperation(Operation{Method: "GET", Path: "/"}); err != nil {
		t.Fatal(err)
	}
	doc, err := b.Document()
	if err != nil {
		t.Fatal(err)
	}
	data, err := Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"title": "Q & A <API>"`) {
		t.Errorf("the title is escaped or not indented:\n%s", data)
	}
	if !strings.HasPrefix(string(data), "{\n  \"components\"") || !strings.HasSuffix(string(data), "}\n") {
		t.Errorf("unexpected layout:\n%s", data)
	}
	if _, err := Marshal(nil); !errors.Is(err, ErrInvalidDocument) {
		t.Errorf("Marshal(nil) error = %v, want ErrInvalidDocument", err)
	}
	var doc2 openapi3.T
	if err := json.Unmarshal(data, &doc2); err != nil || doc2.Info.Title != "Q & A <API>" {
		t.Errorf("round trip: %v, title %q", err, doc2.Info.Title)
	}
}

func FuzzConvertPath(f *testing.F) {
	for _, s := range []string{"/", "/users/:id", "/a/*rest", "/a/:b/:c", "/files/v:v", "/:", "/*x/y", "/{x}", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got, params, err := convertPath(p)
		if err != nil {
			return
		}
		if strings.ContainsAny(got, ":*") {
			t.Fatalf("convertPath(%q) = %q keeps a gin wildcard", p, got)
		}
		if n := strings.Count(got, "{"); n != len(params) || strings.Count(got, "}") != n {
			t.Fatalf("convertPath(%q) = %q with %d parameters %q", p, got, len(params), params)
		}
		for _, name := range params {
			if !strings.Contains(got, "{"+name+"}") {
				t.Fatalf("convertPath(%q) = %q lacks {%s}", p, got, name)
			}
		}
	})
}

func FuzzParseBinding(f *testing.F) {
	for _, s := range []string{"required", "min=1,max=2", "oneof=a 'b c'", "dive,dive,len=3", "gt=x", "oneof=", "lt=0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		rs, err := parseBinding(tag)
		if err != nil {
			return
		}
		// Whatever parses must apply to every kind of schema without
		// panicking; errors are fine.
		for _, typ := range []string{"string", "integer", "number", "array", "object", "boolean"} {
			s := typed(typ, "")
			if typ == "array" {
				s.Items = inline(typed("string", ""))
			}
			_ = applyRules(s, rs)
		}
	})
}
