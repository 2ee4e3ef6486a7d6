package security

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/internal/problem"
)

// ginKey is the gin context key under which HandlerFunc stores the
// authenticated scheme. It is unexported, so only From reads it.
const ginKey = "github.com/portcullis/portcullis/security.scheme"

// HandlerFunc adapts s into gin middleware for apps that do not use the
// framework. It authenticates each request and either stores the
// authenticated copy of s for [From] or aborts with an RFC 9457 problem and
// the scheme's challenge.
func HandlerFunc(s Scheme) gin.HandlerFunc {
	return func(c *gin.Context) {
		got, err := s.Authenticate(c.Request)
		if err != nil {
			WriteError(c.Writer, err)
			c.Abort()
			return
		}
		schemes, _ := c.Get(ginKey)
		list, _ := schemes.([]Scheme)
		c.Set(ginKey, append(list, got))
		c.Next()
	}
}

// From returns the authenticated scheme of type T that a [HandlerFunc]
// middleware stored on c. The boolean is false when no such middleware ran.
func From[T Scheme](c *gin.Context) (T, bool) {
	var zero T
	schemes, ok := c.Get(ginKey)
	if !ok {
		return zero, false
	}
	for _, s := range schemes.([]Scheme) {
		if t, ok := s.(T); ok {
			return t, true
		}
	}
	return zero, false
}

// WriteError writes err as an RFC 9457 problem. An *Error keeps its status,
// detail and challenges; any other error becomes a 500 with a generic detail.
func WriteError(w http.ResponseWriter, err error) {
	var se *Error
	if !errors.As(err, &se) {
		problem.Write(w, problem.New(http.StatusInternalServerError, "internal error"))
		return
	}
	for _, c := range se.Challenges {
		w.Header().Add("WWW-Authenticate", c)
	}
	problem.Write(w, problem.New(se.Status, se.Detail))
}
