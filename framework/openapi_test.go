package framework_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

var update = flag.Bool("update", false, "rewrite the golden files")

type item struct {
	ID    int    `json:"item_id"`
	Owner string `json:"owner"`
}

type itemFilter struct {
	framework.Input
	Limit int    `form:"limit" binding:"omitempty,min=1,max=100" default:"10"`
	Kind  string `form:"kind" binding:"omitempty,oneof=book pen"`
}

// AdminKey and UserKey are two schemes of one kind, told apart by type.
type AdminKey struct{ security.APIKeyHeader }
type UserKey struct{ security.APIKeyHeader }

type viewer struct{ name string }

var (
	oauth2 = security.OAuth2PasswordBearer{
		SchemeID: "OAuth2Password",
		TokenURL: "/token",
		Scopes:   security.Scopes{"me": "Read your profile.", "items": "Read your items."},
	}
	bearer   = security.HTTPBearer{SchemeID: "BearerJWT", BearerFormat: "JWT"}
	adminKey = AdminKey{security.APIKeyHeader{SchemeID: "AdminKey", Name: "X-Admin-Key"}}
	userKey  = UserKey{security.APIKeyHeader{SchemeID: "UserKey", Name: "X-User-Key"}}
)

func viewerFrom(tok security.OAuth2PasswordBearer, _ security.SecurityScopes) *viewer {
	return &viewer{name: tok.Token()}
}

func listItems(itemFilter) []item                                  { return nil }
func readMe(v *viewer) string                                      { return v.name }
func publicStatus() map[string]string                              { return map[string]string{"status": "ok"} }
func both(security.HTTPBearer, AdminKey) string                    { return "" }
func either(framework.AnyOf2[security.HTTPBearer, UserKey]) string { return "" }
func maybe(framework.Optional[*viewer]) []item                     { return nil }
func admins(AdminKey, UserKey) string                              { return "" }

func TestOpenAPIGolden(t *testing.T) {
	cases := []struct {
		name string
		opts []fx.Option
	}{
		{"public-next-to-secured", []fx.Option{
			framework.Security(oauth2),
			framework.Provide(viewerFrom),
			framework.Routes(func(r *framework.Router) {
				r.GET("/status", publicStatus, framework.Summary("Service status"), framework.Tags("status"))
				r.GET("/users/me", readMe, framework.Scopes("me"), framework.Tags("users"))
			}),
		}},
		{"and", []fx.Option{
			framework.Security(bearer, adminKey),
			framework.Routes(func(r *framework.Router) { r.GET("/both", both) }),
		}},
		{"or", []fx.Option{
			framework.Security(bearer, userKey),
			framework.Routes(func(r *framework.Router) { r.GET("/either", either) }),
		}},
		{"optional", []fx.Option{
			framework.Security(oauth2),
			framework.Provide(viewerFrom),
			framework.Routes(func(r *framework.Router) { r.GET("/items", maybe) }),
		}},
		{"scopes-through-nested-dependencies", []fx.Option{
			framework.Security(oauth2),
			framework.Provide(viewerFrom, framework.Scopes("me")),
			framework.Routes(func(r *framework.Router) {
				g := r.Group("/users/me")
				g.GET("/items", func(v *viewer, f itemFilter) []item { return nil }, framework.Scopes("items"))
			}),
		}},
		{"two-schemes-of-one-kind", []fx.Option{
			framework.Security(adminKey, userKey),
			framework.Routes(func(r *framework.Router) { r.GET("/admins", admins) }),
		}},
		{"input-and-result", []fx.Option{
			framework.Routes(func(r *framework.Router) { r.GET("/items", listItems, framework.OperationID("listItems")) }),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var app *framework.App
			opts := append([]fx.Option{fx.NopLogger, framework.Module(framework.Title("Golden"), framework.Version("1.0.0")), fx.Populate(&app)}, tc.opts...)
			fxApp := fx.New(opts...)
			if err := fxApp.Err(); err != nil {
				t.Fatal(err)
			}
			got := app.OpenAPI()
			doc, err := openapi3.NewLoader().LoadFromData(got)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if err := doc.Validate(context.Background()); err != nil {
				t.Fatalf("kin-openapi says the document is invalid: %v", err)
			}
			if bytes.Contains(got, []byte(`"name": "Authorization"`)) {
				t.Fatal("an Authorization header parameter was emitted")
			}
			path := filepath.Join("testdata", "openapi", tc.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./framework -run TestOpenAPIGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s is stale; run go test ./framework -run TestOpenAPIGolden -update and review the diff.\ngot:\n%s", path, got)
			}
		})
	}
}

func TestOpenAPIDocumentWithoutStarting(t *testing.T) {
	doc, err := framework.OpenAPIDocument(
		framework.Module(framework.Title("Export"), framework.Addr("127.0.0.1:1")),
		framework.Routes(func(r *framework.Router) { r.GET("/status", publicStatus) }),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte(`"/status"`)) || !bytes.Contains(doc, []byte(`"title": "Export"`)) {
		t.Fatalf("document lacks the route or title:\n%s", doc)
	}
	_, err = framework.OpenAPIDocument(framework.Module(), framework.Routes(func(r *framework.Router) { r.GET("/w", needsWidget) }))
	if err == nil || !strings.Contains(err.Error(), "nothing provides it") {
		t.Fatalf("a broken app gave %v", err)
	}
}
