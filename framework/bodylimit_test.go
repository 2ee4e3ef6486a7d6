package framework_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

type blUpload struct {
	framework.Input
	Data string `json:"data"`
}

type blSize struct {
	Size int `json:"size"`
}

func blRoutes(r *framework.Router) {
	r.POST("/default", func(u blUpload) blSize { return blSize{len(u.Data)} })
	r.POST("/upload", func(u blUpload) blSize { return blSize{len(u.Data)} }, framework.BodyLimit(64<<10))
	tiny := r.Group("/tiny", framework.BodyLimit(32))
	tiny.POST("/form", func(u blUpload) blSize { return blSize{len(u.Data)} })
	tiny.POST("/roomy", func(u blUpload) blSize { return blSize{len(u.Data)} }, framework.BodyLimit(4096))
	// A raw route reads its body itself and answers an oversized one in
	// its own format.
	r.Raw(http.MethodPost, "/raw", func(c *gin.Context) {
		b, err := io.ReadAll(c.Request.Body)
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			c.String(http.StatusRequestEntityTooLarge, "raw: over %d", mb.Limit)
			return
		}
		c.String(http.StatusOK, "raw: %d", len(b))
	}, framework.BodyLimit(64))
}

// body is a JSON upload whose data field makes it n bytes long.
func body(n int) string {
	const frame = `{"data":""}`
	return `{"data":"` + strings.Repeat("x", n-len(frame)) + `"}`
}

// TestBodyLimit checks BodyLimit on routes, groups and raw routes against
// the app's MaxBodyBytes, for bodies announced by Content-Length and for
// chunked ones, with the guard inline and behind other engine middleware.
func TestBodyLimit(t *testing.T) {
	setups := map[string][]fx.Option{
		"guard inline": nil,
		"behind engine middleware": {fx.Decorate(func(e *gin.Engine) *gin.Engine {
			e.Use(func(c *gin.Context) { c.Next() })
			return e
		})},
	}
	cases := []struct {
		path   string
		size   int
		status int
		answer string // the body's start
	}{
		{"/default", 1000, 200, `{"size":989}`},
		{"/default", 1025, 413, `{"type":"about:blank","title":"Request Entity Too Large","status":413,"detail":"the request body is larger than 1024 bytes"}`},
		{"/upload", 60 << 10, 200, `{"size":61429}`},
		{"/upload", 65<<10 + 1, 413, `{"type":"about:blank","title":"Request Entity Too Large","status":413,"detail":"the request body is larger than 65536 bytes"}`},
		{"/tiny/form", 32, 200, `{"size":21}`},
		{"/tiny/form", 33, 413, `{"type":"about:blank","title":"Request Entity Too Large","status":413,"detail":"the request body is larger than 32 bytes"}`},
		{"/tiny/roomy", 2000, 200, `{"size":1989}`},
		{"/tiny/roomy", 4097, 413, `{"type":"about:blank","title":"Request Entity Too Large","status":413,"detail":"the request body is larger than 4096 bytes"}`},
		{"/raw", 64, 200, `raw: 64`},
		{"/raw", 65, 413, `raw: over 64`},
	}
	for name, extra := range setups {
		t.Run(name, func(t *testing.T) {
			opts := append([]fx.Option{framework.Routes(blRoutes)}, extra...)
			app := frameworktest.Start(t, append([]fx.Option{framework.Module(framework.MaxBodyBytes(1024))}, opts...)...)
			for _, c := range cases {
				for _, chunked := range []bool{false, true} {
					var r io.Reader = strings.NewReader(body(c.size))
					if chunked {
						r = struct{ io.Reader }{r} // no length: the client sends it chunked
					}
					req := app.NewRequest(http.MethodPost, c.path, r, "Content-Type", "application/json")
					res := app.Do(req)
					if res.StatusCode != c.status || string(res.Body) != c.answer {
						t.Errorf("POST %s, %d bytes, chunked %v: %d %s; want %d %s",
							c.path, c.size, chunked, res.StatusCode, res.Body, c.status, c.answer)
					}
				}
			}
		})
	}
}

// TestBodyLimitMustBePositive: BodyLimit(0) is a mistake, not "no limit",
// and stops fx.New naming the route.
func TestBodyLimitMustBePositive(t *testing.T) {
	err := startErr(t, framework.Routes(func(r *framework.Router) {
		r.POST("/x", func(u blUpload) blSize { return blSize{} }, framework.BodyLimit(0))
	}))
	if !errors.Is(err, framework.ErrBadOption) {
		t.Fatalf("got %v, want ErrBadOption", err)
	}
	mustContain(t, err.Error(), "framework: bad route option: POST /x (registered at ", "bodylimit_test.go:",
		"BodyLimit(0) must be positive; give the largest body the route accepts, in bytes, or drop the option to keep the app's MaxBodyBytes")
}
