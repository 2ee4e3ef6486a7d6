package docsui

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/swaggo/swag"
)

const testDoc = `{"openapi":"3.0.3","info":{"title":"Test API","version":"1"},"paths":{}}`

func init() { gin.SetMode(gin.TestMode) }

// client does not follow redirects, so tests see them.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type response struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, url string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(body)}
}

// serve mounts the UI on a new engine, with the document at DocPath, and
// starts a loopback server.
func serve(t *testing.T, prefix string, cfg Config) *httptest.Server {
	t.Helper()
	e := gin.New()
	if err := Mount(e, prefix, cfg, []byte(testDoc)); err != nil {
		t.Fatalf("Mount: %v", err)
	}
	docPath := cfg.DocPath
	if docPath == "" {
		docPath = DefaultDocPath
	}
	e.GET(docPath, ServeDocument([]byte(testDoc)))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

func TestRedirects(t *testing.T) {
	srv := serve(t, "/docs", Config{InstanceName: "test-redirects"})
	for _, p := range []string{"/docs", "/docs/"} {
		t.Run(p, func(t *testing.T) {
			r := get(t, srv.URL+p)
			if r.status != http.StatusFound || r.header.Get("Location") != "/docs/index.html" {
				t.Errorf("GET %s = %d Location %q, want 302 to /docs/index.html", p, r.status, r.header.Get("Location"))
			}
		})
	}
}

func TestRedirectUnderGroup(t *testing.T) {
	e := gin.New()
	if err := Mount(e.Group("/api/v1"), "/docs", Config{InstanceName: "test-group"}, []byte(testDoc)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	r := get(t, srv.URL+"/api/v1/docs")
	if r.status != http.StatusFound || r.header.Get("Location") != "/api/v1/docs/index.html" {
		t.Errorf("GET /api/v1/docs = %d Location %q", r.status, r.header.Get("Location"))
	}
	if r := get(t, srv.URL+"/api/v1/docs/index.html"); r.status != http.StatusOK {
		t.Errorf("index.html under the group = %d", r.status)
	}
	if r := get(t, srv.URL+"/api/v1/docs/swagger-ui.css"); r.status != http.StatusOK || !strings.Contains(r.body, ".swagger-ui") {
		t.Errorf("swagger-ui.css under the group = %d, %d bytes", r.status, len(r.body))
	}
}

var (
	attrURL = regexp.MustCompile(`(?i)\b(src|href|action)\s*=\s*["']([^"']*)["']`)
	anyURL  = regexp.MustCompile(`(?i)([\w:]+)\s*=\s*["'](https?:)?//[^"']*["']|https?://`)
)

func TestIndexUsesNoCDN(t *testing.T) {
	srv := serve(t, "/docs", Config{Title: "Items <API>", InstanceName: "test-index"})
	r := get(t, srv.URL+"/docs/index.html")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("index.html = %d %q", r.status, r.header.Get("Content-Type"))
	}
	if !strings.Contains(r.body, "<title>Items &lt;API&gt;</title>") {
		t.Errorf("the title is missing or not escaped")
	}
	// Every absolute URL in the page must be an XML namespace, which
	// browsers never fetch.
	for _, m := range anyURL.FindAllStringSubmatch(r.body, -1) {
		if !strings.HasPrefix(strings.ToLower(m[1]), "xmlns") {
			t.Errorf("index.html refers to an outside URL: %s", m[0])
		}
	}
	// Every file the page loads is served by the app.
	refs := attrURL.FindAllStringSubmatch(r.body, -1)
	if len(refs) < 5 {
		t.Fatalf("index.html loads %d files, want the scripts, styles and icons", len(refs))
	}
	sawInitializer := false
	for _, m := range refs {
		ref := m[2]
		if strings.Contains(ref, "//") || strings.HasPrefix(ref, "/") {
			t.Errorf("index.html loads %q, which is not relative to the page", ref)
			continue
		}
		sawInitializer = sawInitializer || strings.HasSuffix(ref, "swagger-initializer.js")
		if a := get(t, srv.URL+"/docs/"+strings.TrimPrefix(ref, "./")); a.status != http.StatusOK || len(a.body) == 0 {
			t.Errorf("GET %s = %d with %d bytes", ref, a.status, len(a.body))
		}
	}
	if !sawInitializer {
		t.Errorf("index.html does not load swagger-initializer.js")
	}
}

func TestOAuth2Redirect(t *testing.T) {
	srv := serve(t, "/docs", Config{InstanceName: "test-oauth2-redirect"})
	r := get(t, srv.URL+"/docs/oauth2-redirect.html")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("oauth2-redirect.html = %d %q", r.status, r.header.Get("Content-Type"))
	}
	if !strings.Contains(r.body, "swaggerUIRedirectOauth2") {
		t.Errorf("oauth2-redirect.html is not Swagger UI's redirect page:\n%.300s", r.body)
	}
}

func TestInitializer(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		want    []string
		notWant []string
	}{
		{
			name: "defaults",
			cfg:  Config{InstanceName: "test-init-defaults"},
			want: []string{`url: "/openapi.json"`, `const defaultClientId = "";`, `persistAuthorization: false`,
				`usePkceWithAuthorizationCodeGrant: false`, `validatorUrl: null`},
		},
		{
			name: "client id and PKCE",
			cfg: Config{InstanceName: "test-init-pkce", DocPath: "/api/openapi.json", OAuth2ClientID: "demo-client",
				UsePKCE: true, PersistAuthorization: true},
			want: []string{`url: "/api/openapi.json"`, `const defaultClientId = "demo-client";`,
				`usePkceWithAuthorizationCodeGrant: true`, `persistAuthorization: true`},
			notWant: []string{`"/openapi.json"`, `doc.json`},
		},
		{
			name: "client id without PKCE",
			cfg:  Config{InstanceName: "test-init-client", OAuth2ClientID: "demo-client"},
			want: []string{`const defaultClientId = "demo-client";`, `usePkceWithAuthorizationCodeGrant: false`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, "/docs", tt.cfg)
			r := get(t, srv.URL+"/docs/swagger-initializer.js")
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/javascript" {
				t.Fatalf("swagger-initializer.js = %d %q", r.status, r.header.Get("Content-Type"))
			}
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("the initializer lacks %s:\n%s", w, r.body)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(r.body, w) {
					t.Errorf("the initializer contains %s", w)
				}
			}
			// The URL the UI loads serves the document.
			docPath := regexp.MustCompile(`url: "([^"]+)"`).FindStringSubmatch(r.body)
			if docPath == nil {
				t.Fatal("no url in the initializer")
			}
			if d := get(t, srv.URL+docPath[1]); d.status != http.StatusOK || d.body != testDoc {
				t.Errorf("GET %s = %d %.80q, want the document", docPath[1], d.status, d.body)
			}
		})
	}
}

func TestDocJSONReadsTheRegistry(t *testing.T) {
	srv := serve(t, "/docs", Config{InstanceName: "test-doc-json"})
	r := get(t, srv.URL+"/docs/doc.json")
	if r.status != http.StatusOK || r.body != testDoc || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("doc.json = %d %q %.80q", r.status, r.header.Get("Content-Type"), r.body)
	}
	if got, err := swag.ReadDoc("test-doc-json"); err != nil || got != testDoc {
		t.Errorf("swag.ReadDoc = %.80q, %v", got, err)
	}
	// A second Mount under the same name replaces the document, without
	// swag's panic on a second registration.
	e := gin.New()
	const second = `{"second":true}`
	if err := Mount(e, "/docs", Config{InstanceName: "test-doc-json"}, []byte(second)); err != nil {
		t.Fatal(err)
	}
	if got, _ := swag.ReadDoc("test-doc-json"); got != second {
		t.Errorf("after the second Mount, swag.ReadDoc = %q", got)
	}
}

func TestUnknownFilesAndOddFirstRequests(t *testing.T) {
	srv := serve(t, "/docs", Config{InstanceName: "test-odd"})
	// gin-swagger takes the prefix of its file server from the first
	// request it sees; these must neither be served nor break later ones.
	for _, p := range []string{"/docs/x/index.html", "/docs/secret.txt", "/docs/index.html.bak", "/docs/../go.mod"} {
		if r := get(t, srv.URL+p); r.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, r.status)
		}
	}
	if r := get(t, srv.URL+"/docs/swagger-ui.css?x=/doc.json"); r.status != http.StatusOK || !strings.Contains(r.body, ".swagger-ui") {
		t.Errorf("swagger-ui.css with a query = %d, %d bytes", r.status, len(r.body))
	}
	if r := get(t, srv.URL+"/docs/swagger-ui-bundle.js"); r.status != http.StatusOK || len(r.body) < 100000 {
		t.Errorf("swagger-ui-bundle.js = %d, %d bytes", r.status, len(r.body))
	}
}

func TestMountErrors(t *testing.T) {
	if swag.GetSwagger("test-foreign") == nil { // -count=N runs this again
		swag.Register("test-foreign", foreign{})
	}
	tests := []struct {
		name   string
		prefix string
		cfg    Config
		doc    string
		want   string
		is     error
	}{
		{name: "no leading slash", prefix: "docs", doc: testDoc, is: ErrInvalidConfig,
			want: `docsui: invalid config: prefix "docs" must be a path such as /docs, without a trailing slash or parameters`},
		{name: "trailing slash", prefix: "/docs/", doc: testDoc, is: ErrInvalidConfig,
			want: `docsui: invalid config: prefix "/docs/" must be a path such as /docs, without a trailing slash or parameters`},
		{name: "root", prefix: "/", doc: testDoc, is: ErrInvalidConfig,
			want: `docsui: invalid config: prefix "/" must be a path such as /docs, without a trailing slash or parameters`},
		{name: "parameter", prefix: "/docs/:v", doc: testDoc, is: ErrInvalidConfig,
			want: `docsui: invalid config: prefix "/docs/:v" must be a path such as /docs, without a trailing slash or parameters`},
		{name: "quote in DocPath", prefix: "/docs", cfg: Config{DocPath: `/x";alert(1);"`}, doc: testDoc, is: ErrInvalidConfig,
			want: `docsui: invalid config: DocPath "/x\";alert(1);\"" must be a URL without quotes, backslashes or spaces`},
		{name: "quote in client id", prefix: "/docs", cfg: Config{OAuth2ClientID: `a"b`}, doc: testDoc, is: ErrInvalidConfig,
			want: `docsui: invalid config: OAuth2ClientID "a\"b" must be printable ASCII without quotes or backslashes`},
		{name: "PKCE without client id", prefix: "/docs", cfg: Config{UsePKCE: true}, doc: testDoc, is: ErrInvalidConfig,
			want: `docsui: invalid config: UsePKCE needs OAuth2ClientID, because Swagger UI applies PKCE only through initOAuth, ` +
				`which it calls only when a client id is set`},
		{name: "not JSON", prefix: "/docs", doc: `openapi: 3.0.3`, is: ErrInvalidDocument,
			want: `docsui: invalid document: the document is not JSON`},
		{name: "empty document", prefix: "/docs", doc: ``, is: ErrInvalidDocument,
			want: `docsui: invalid document: the document is not JSON`},
		{name: "instance name taken", prefix: "/docs", cfg: Config{InstanceName: "test-foreign"}, doc: testDoc,
			is:   ErrInstanceTaken,
			want: `docsui: swag instance name taken: "test-foreign" holds a docsui.foreign; choose another Config.InstanceName`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Mount(gin.New(), tt.prefix, tt.cfg, []byte(tt.doc))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error text\n  got:  %s\n  want: %s", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
}

type foreign struct{}

func (foreign) ReadDoc() string { return "{}" }

func TestServeDocument(t *testing.T) {
	sum := sha256.Sum256([]byte(testDoc))
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	doc := []byte(testDoc)
	e := gin.New()
	e.GET("/openapi.json", ServeDocument(doc))
	doc[0] = 'X' // the handler keeps its own copy
	srv := httptest.NewServer(e)
	defer srv.Close()

	tests := []struct {
		name        string
		ifNoneMatch []string
		status      int
	}{
		{"no condition", nil, http.StatusOK},
		{"same tag", []string{etag}, http.StatusNotModified},
		{"weak form of the tag", []string{"W/" + etag}, http.StatusNotModified},
		{"in a list", []string{`"other", ` + etag}, http.StatusNotModified},
		{"in a second header", []string{`"other"`, etag}, http.StatusNotModified},
		{"star", []string{"*"}, http.StatusNotModified},
		{"other tag", []string{`"other"`}, http.StatusOK},
		{"unquoted tag", []string{strings.Trim(etag, `"`)}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			for _, v := range tt.ifNoneMatch {
				header = append(header, "If-None-Match", v)
			}
			r := get(t, srv.URL+"/openapi.json", header...)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d", r.status, tt.status)
			}
			if r.header.Get("ETag") != etag {
				t.Errorf("ETag = %q, want %q", r.header.Get("ETag"), etag)
			}
			if r.header.Get("Cache-Control") != "no-cache" {
				t.Errorf("Cache-Control = %q", r.header.Get("Cache-Control"))
			}
			switch tt.status {
			case http.StatusOK:
				if r.body != testDoc || r.header.Get("Content-Type") != "application/json" {
					t.Errorf("body %.80q with Content-Type %q", r.body, r.header.Get("Content-Type"))
				}
			case http.StatusNotModified:
				if r.body != "" {
					t.Errorf("304 with a body: %q", r.body)
				}
			}
		})
	}
}
