package security

import (
	"errors"
	"net/http"
	"reflect"

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
//
// When s is a named type that embeds a scheme (type AdminKey struct{
// APIKeyHeader }), the embedded scheme's Authenticate returns the embedded
// type; HandlerFunc stores that value and a copy of s carrying it, so both
// From[APIKeyHeader] and From[AdminKey] find the credential. Call
// HandlerFunc(admin) for such a type, not admin.HandlerFunc(): the promoted
// method only sees the embedded scheme.
func HandlerFunc(s Scheme) gin.HandlerFunc {
	outer := reflect.TypeOf(s)
	return func(c *gin.Context) {
		got, err := s.Authenticate(c.Request)
		if err != nil {
			WriteError(c.Writer, err)
			c.Abort()
			return
		}
		schemes, _ := c.Get(ginKey)
		list, _ := schemes.([]Scheme)
		list = append(list, got)
		if w, ok := rewrap(s, outer, got); ok {
			list = append(list, w)
		}
		c.Set(ginKey, list)
		c.Next()
	}
}

// rewrap returns a copy of s, a struct that embeds a scheme, with the
// embedded scheme replaced by got, which its Authenticate returned.
func rewrap(s Scheme, outer reflect.Type, got Scheme) (Scheme, bool) {
	if got == nil || outer.Kind() != reflect.Struct {
		return nil, false
	}
	inner := reflect.TypeOf(got)
	if inner == outer {
		return nil, false
	}
	path, ok := embeddedPath(outer, inner)
	if !ok {
		return nil, false
	}
	v := reflect.New(outer).Elem()
	v.Set(reflect.ValueOf(s))
	v.FieldByIndex(path).Set(reflect.ValueOf(got))
	w, ok := v.Interface().(Scheme)
	return w, ok
}

// embeddedPath finds the exported embedded field of type inner in t,
// searching embedded structs depth first.
func embeddedPath(t, inner reflect.Type) ([]int, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.Anonymous || !f.IsExported() {
			continue
		}
		if f.Type == inner {
			return []int{i}, true
		}
		if f.Type.Kind() == reflect.Struct {
			if rest, ok := embeddedPath(f.Type, inner); ok {
				return append([]int{i}, rest...), true
			}
		}
	}
	return nil, false
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
