// Package docsui serves Swagger UI for the OpenAPI document of a
// portcullis app, with swaggo/gin-swagger and the Swagger UI build that
// swaggo/files embeds, so the page loads nothing from outside the app.
//
//	data, _ := oas.Marshal(doc)
//	engine.GET("/openapi.json", docsui.ServeDocument(data))
//	err := docsui.Mount(engine, "/docs", docsui.Config{OAuth2ClientID: "demo-client"}, data)
//
// # Routes
//
// [Mount] registers GET /docs, which redirects to /docs/index.html, and
// GET /docs/<file> for the files gin-swagger serves: index.html,
// swagger-initializer.js, oauth2-redirect.html, the scripts and styles,
// and doc.json. Other names under the prefix get a 404 problem. The app
// serves the document itself at Config.DocPath, usually with
// [ServeDocument], which answers conditional requests with 304.
//
// # What the page fetches
//
// gin-swagger writes Config.DocPath into swagger-initializer.js as the
// url Swagger UI loads, so the UI fetches DocPath, not doc.json. doc.json
// still answers with the same document, read from swag's registry, where
// Mount registers it under Config.InstanceName. The OAuth2 redirect page
// is the oauth2-redirect.html beside index.html.
//
// # OAuth2 and PKCE
//
// Swagger UI calls initOAuth only when a client id is set, so
// Config.OAuth2ClientID is needed for the client-credentials and
// authorization-code flows, and PKCE (Config.UsePKCE) is refused without
// it rather than silently not applied.
//
// # Escaping
//
// gin-swagger puts DocPath and the client id into JavaScript string
// literals without escaping them, so Mount refuses quotes, backslashes
// and control characters in both. The title goes through html/template.
//
// # Shared state
//
// swag's registry is process-wide and panics when a name is registered
// twice. Mount registers a provider once per instance name and updates
// its document on later calls, so apps started one after another in one
// process (as tests do) work; two apps alive at once should use distinct
// instance names if their doc.json must differ. A name registered by
// another package is an error. Each Mount has its own file server, so
// mounts under different prefixes do not interfere.
package docsui
