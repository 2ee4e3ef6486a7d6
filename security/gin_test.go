package security_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/security"
)

// AdminKey is a user's named scheme type, as the framework recommends for
// two keys of one kind.
type AdminKey struct{ security.APIKeyHeader }

func TestHandlerFuncFindsEmbeddingTypes(t *testing.T) {
	gin.SetMode(gin.TestMode)
	admin := AdminKey{security.APIKeyHeader{Name: "X-Admin-Key", Validate: security.StaticKeys("root")}}
	e := gin.New()
	e.GET("/", security.HandlerFunc(admin), func(c *gin.Context) {
		outer, ok1 := security.From[AdminKey](c)
		inner, ok2 := security.From[security.APIKeyHeader](c)
		if !ok1 || !ok2 || outer.Key() != "root" || inner.Key() != "root" || outer.Name != "X-Admin-Key" {
			c.String(http.StatusInternalServerError, "outer %v %q, inner %v %q", ok1, outer.Key(), ok2, inner.Key())
			return
		}
		c.String(http.StatusOK, "ok")
	})
	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("X-Admin-Key", "root")
	e.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}
