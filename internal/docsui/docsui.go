package docsui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"
	swaggerFiles "github.com/swaggo/files"
	ginSwagger "github.com/swaggo/gin-swagger"

	"github.com/portcullis/portcullis/internal/problem"
)

// Defaults of Config.
const (
	DefaultDocPath      = "/openapi.json"
	DefaultInstanceName = "portcullis"
)

// Config sets up Swagger UI.
type Config struct {
	// Title is the page title. Empty means gin-swagger's "Swagger UI".
	Title string
	// DocPath is the URL Swagger UI loads the document from; the app serves
	// it, usually with ServeDocument. Empty means DefaultDocPath.
	DocPath string
	// InstanceName is the name of the document in swag's registry, which
	// gin-swagger's doc.json reads. Empty means DefaultInstanceName.
	InstanceName string
	// PersistAuthorization keeps the Authorize dialog's credentials across
	// page reloads, in the browser's local storage.
	PersistAuthorization bool
	// OAuth2ClientID prefills the client id of the OAuth2 dialogs. Swagger
	// UI calls initOAuth only when it is set, so the client-credentials and
	// authorization-code flows, and PKCE, need it.
	OAuth2ClientID string
	// UsePKCE makes the authorization-code flow use PKCE. It requires
	// OAuth2ClientID.
	UsePKCE bool
}

// assets are the files gin-swagger serves under the prefix: its templated
// index.html, index.css and swagger-initializer.js, doc.json from swag's
// registry, and the Swagger UI build of swaggo/files.
var assets = map[string]bool{
	"index.html": true, "index.css": true, "swagger-initializer.js": true, "doc.json": true,
	"oauth2-redirect.html": true, "favicon-16x16.png": true, "favicon-32x32.png": true,
	"swagger-ui.css": true, "swagger-ui.css.map": true, "swagger-ui.js": true, "swagger-ui.js.map": true,
	"swagger-ui-bundle.js": true, "swagger-ui-bundle.js.map": true,
	"swagger-ui-standalone-preset.js": true, "swagger-ui-standalone-preset.js.map": true,
}

var (
	// prefixPattern accepts paths of plain segments, such as /docs or
	// /api/docs: no parameters, no trailing slash.
	prefixPattern = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+$`)
	// docPathPattern accepts URL characters other than quotes and
	// backslashes: gin-swagger writes DocPath into a JavaScript string
	// without escaping it.
	docPathPattern = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+$`)
	// clientIDPattern is RFC 6749's VSCHAR less the double quote and the
	// backslash, for the same reason.
	clientIDPattern = regexp.MustCompile(`^[\x20\x21\x23-\x5b\x5d-\x7e]+$`)
)

// Mount serves Swagger UI under prefix on r, which is a *gin.Engine or a
// *gin.RouterGroup:
//
//   - GET <prefix> and <prefix>/ redirect (302) to <prefix>/index.html;
//   - GET <prefix>/<asset> is gin-swagger's handler: index.html and
//     swagger-initializer.js pointed at cfg.DocPath, oauth2-redirect.html,
//     the Swagger UI scripts and styles of swaggo/files (no CDN), and
//     doc.json, which reads doc from swag's registry;
//   - anything else under prefix is a 404 problem.
//
// doc is registered in swag's registry under cfg.InstanceName. The registry
// is process-wide: a later Mount with the same instance name replaces the
// document that doc.json returns for both.
func Mount(r gin.IRouter, prefix string, cfg Config, doc []byte) error {
	if !prefixPattern.MatchString(prefix) {
		return fmt.Errorf("%w: prefix %q must be a path such as /docs, without a trailing slash or parameters",
			ErrInvalidConfig, prefix)
	}
	if cfg.DocPath == "" {
		cfg.DocPath = DefaultDocPath
	}
	if cfg.InstanceName == "" {
		cfg.InstanceName = DefaultInstanceName
	}
	switch {
	case !docPathPattern.MatchString(cfg.DocPath):
		return fmt.Errorf("%w: DocPath %q must be a URL without quotes, backslashes or spaces", ErrInvalidConfig, cfg.DocPath)
	case cfg.OAuth2ClientID != "" && !clientIDPattern.MatchString(cfg.OAuth2ClientID):
		return fmt.Errorf("%w: OAuth2ClientID %q must be printable ASCII without quotes or backslashes",
			ErrInvalidConfig, cfg.OAuth2ClientID)
	case cfg.UsePKCE && cfg.OAuth2ClientID == "":
		return fmt.Errorf("%w: UsePKCE needs OAuth2ClientID, because Swagger UI applies PKCE only through initOAuth, "+
			"which it calls only when a client id is set", ErrInvalidConfig)
	}
	if len(doc) == 0 || !json.Valid(doc) {
		return fmt.Errorf("%w: the document is not JSON", ErrInvalidDocument)
	}
	if err := register(cfg.InstanceName, doc); err != nil {
		return err
	}

	base := "/"
	if g, ok := r.(interface{ BasePath() string }); ok {
		base = g.BasePath()
	}
	full := path.Join(base, prefix)
	ui := ginSwagger.CustomWrapHandler(&ginSwagger.Config{
		URL:                      cfg.DocPath,
		DocExpansion:             "list",
		InstanceName:             cfg.InstanceName,
		Title:                    cfg.Title,
		DefaultModelsExpandDepth: 1,
		DeepLinking:              true,
		PersistAuthorization:     cfg.PersistAuthorization,
		Oauth2DefaultClientID:    cfg.OAuth2ClientID,
		Oauth2UsePkce:            cfg.UsePKCE,
	}, swaggerFiles.NewHandler())

	index := full + "/index.html"
	redirect := func(c *gin.Context) { c.Redirect(http.StatusFound, index) }
	r.GET(prefix, redirect)
	r.GET(prefix+"/*asset", func(c *gin.Context) {
		name := strings.TrimPrefix(c.Param("asset"), "/")
		if name == "" {
			redirect(c)
			return
		}
		if !assets[name] {
			problem.Write(c.Writer, problem.New(http.StatusNotFound, "no such file in the API documentation"))
			c.Abort()
			return
		}
		// gin-swagger matches the file name in RequestURI and, on its
		// first request, takes what precedes it as the prefix its file
		// server strips. Hand it a clean URI, so that neither a query
		// string nor a first request for an odd path can mislead it.
		req := c.Request.Clone(c.Request.Context())
		req.RequestURI = full + "/" + name
		req.URL.Path, req.URL.RawPath, req.URL.RawQuery = req.RequestURI, "", ""
		c.Request = req
		ui(c)
	})
	return nil
}
