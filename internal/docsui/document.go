package docsui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// ServeDocument returns a handler that serves doc as application/json with
// a strong ETag, the SHA-256 of the bytes, and answers 304 Not Modified
// when If-None-Match names it. Cache-Control: no-cache makes clients
// revalidate, so a restarted app with a new document is seen at once.
// The handler keeps its own copy of doc.
func ServeDocument(doc []byte) gin.HandlerFunc {
	body := bytes.Clone(doc)
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "no-cache")
		if etagMatch(c.Request.Header.Values("If-None-Match"), etag) {
			c.Status(http.StatusNotModified)
			c.Writer.WriteHeaderNow()
			return
		}
		c.Data(http.StatusOK, "application/json", body)
	}
}

// etagMatch applies RFC 9110's weak comparison, which If-None-Match uses,
// to the entity tags listed in the header values.
func etagMatch(values []string, etag string) bool {
	for _, v := range values {
		for _, tag := range strings.Split(v, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
				return true
			}
		}
	}
	return false
}
