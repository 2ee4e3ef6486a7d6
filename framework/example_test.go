package framework_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
)

// serveExample builds an app from opts and returns its gin engine, which
// the examples call without a network.
func serveExample(opts ...fx.Option) *gin.Engine {
	return serveExampleModule(framework.Module(framework.Docs("", "")), opts...)
}

// serveExampleModule is serveExample with a framework.Module of the
// example's own.
func serveExampleModule(module fx.Option, opts ...fx.Option) *gin.Engine {
	var e *gin.Engine
	all := append([]fx.Option{fx.NopLogger, module}, opts...)
	if err := fx.New(append(all, fx.Populate(&e))...).Err(); err != nil {
		panic(err)
	}
	return e
}

// show sends a request to e and prints the status, the challenge when
// there is one, and the body.
func show(e *gin.Engine, method, target, body string, header ...string) {
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, target, nil)
	} else {
		req = httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, req)
	fmt.Println(w.Code)
	if ch := w.Header().Get("WWW-Authenticate"); ch != "" {
		fmt.Println("WWW-Authenticate:", ch)
	}
	fmt.Println(w.Body.String())
}

// Account is what the examples' API key belongs to.
type Account struct {
	Name string `json:"name"`
}

// A handler declares what it needs as parameters. Here the account comes
// from a dependency that reads an API key scheme; a request without the key
// never reaches the handler.
func Example() {
	keys := security.APIKeyHeader{Name: "X-API-Key", Validate: security.StaticKeys("k-123")}
	account := func(key security.APIKeyHeader) (*Account, error) {
		return &Account{Name: "owner of " + key.Key()}, nil
	}
	e := serveExample(
		framework.Security(keys),
		framework.Provide(account),
		framework.Routes(func(r *framework.Router) {
			r.GET("/me", func(a *Account) *Account { return a })
		}),
	)
	show(e, "GET", "/me", "")
	show(e, "GET", "/me", "", "X-API-Key", "k-123")
	// Output:
	// 401
	// WWW-Authenticate: APIKey
	// {"type":"about:blank","title":"Unauthorized","status":401,"detail":"Not authenticated: no API key in header X-API-Key"}
	// 200
	// {"name":"owner of k-123"}
}

// Cart is a per-request value of the Provide example.
type Cart struct{ items []string }

// A dependency runs at most once per request, however many parameters
// reach it, and a cleanup function it returns runs after the handler.
func ExampleProvide() {
	newCart := func(ctx context.Context) (*Cart, func(), error) {
		fmt.Println("cart opened")
		return &Cart{items: []string{"tea"}}, func() { fmt.Println("cart closed") }, nil
	}
	count := func(c *Cart) *int { n := len(c.items); return &n }
	e := serveExample(
		framework.Provide(newCart),
		framework.Provide(count),
		framework.Routes(func(r *framework.Router) {
			r.GET("/cart", func(c *Cart, n *int) map[string]any {
				return map[string]any{"items": c.items, "count": *n}
			})
		}),
	)
	show(e, "GET", "/cart", "")
	// Output:
	// cart opened
	// cart closed
	// 200
	// {"count":1,"items":["tea"]}
}

// Optional turns "no credentials" into an absent value, so one route
// serves anonymous and known callers. A key that is sent and wrong is
// still refused.
func ExampleOptional() {
	keys := security.APIKeyHeader{Name: "X-API-Key", Validate: security.StaticKeys("k-123")}
	e := serveExample(
		framework.Security(keys),
		framework.Routes(func(r *framework.Router) {
			r.GET("/hello", func(k framework.Optional[security.APIKeyHeader]) string {
				if key, ok := k.Get(); ok {
					return "hello, " + key.Key()
				}
				return "hello, stranger"
			})
		}),
	)
	show(e, "GET", "/hello", "")
	show(e, "GET", "/hello", "", "X-API-Key", "k-123")
	show(e, "GET", "/hello", "", "X-API-Key", "wrong")
	// Output:
	// 200
	// "hello, stranger"
	// 200
	// "hello, k-123"
	// 401
	// WWW-Authenticate: APIKey
	// {"type":"about:blank","title":"Unauthorized","status":401,"detail":"Invalid API key"}
}

// A handler refuses a request by returning an error with a status; it is
// written as an RFC 9457 problem. Any other error is a 500 whose cause
// only the log sees.
func ExampleNewHTTPError() {
	e := serveExample(framework.Routes(func(r *framework.Router) {
		r.DELETE("/items/1", func() error {
			return framework.NewHTTPError(http.StatusConflict, "item 1 is still in an open order")
		})
	}))
	show(e, "DELETE", "/items/1", "")
	// Output:
	// 409
	// {"type":"about:blank","title":"Conflict","status":409,"detail":"item 1 is still in an open order"}
}

// Note is the request input of the BodyLimit example.
type Note struct {
	framework.Input
	Text string `json:"text" binding:"required,max=100"`
}

// BodyLimit gives a route its own body limit in place of the app's.
// Input is validated with gin's binding tags: an invalid one is a 422
// with one entry per field.
func ExampleBodyLimit() {
	e := serveExample(framework.Routes(func(r *framework.Router) {
		r.POST("/notes", func(n Note) Note { return n }, framework.Status(http.StatusCreated), framework.BodyLimit(64))
	}))
	show(e, "POST", "/notes", `{"text":"buy tea"}`)
	show(e, "POST", "/notes", `{}`)
	show(e, "POST", "/notes", `{"text":"`+strings.Repeat("x", 60)+`"}`)
	// Output:
	// 201
	// {"text":"buy tea"}
	// 422
	// {"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"the request input is invalid","errors":[{"location":"body","field":"text","message":"is required"}]}
	// 413
	// {"type":"about:blank","title":"Request Entity Too Large","status":413,"detail":"the request body is larger than 64 bytes"}
}

// errNotFound stands for a store's "no such row".
var errNotFound = errors.New("store: not found")

// MapErrors turns errors a handler or dependency returns into answers, here
// a store's "not found" into a 404, wherever it is wrapped.
func ExampleMapErrors() {
	e := serveExampleModule(
		framework.Module(framework.Docs("", ""), framework.MapErrors(func(err error) error {
			if errors.Is(err, errNotFound) {
				return framework.NewHTTPError(http.StatusNotFound, "no such item")
			}
			return err
		})),
		framework.Routes(func(r *framework.Router) {
			r.GET("/items/7", func() (*Account, error) { return nil, fmt.Errorf("load item 7: %w", errNotFound) })
		}),
	)
	show(e, "GET", "/items/7", "")
	// Output:
	// 404
	// {"type":"about:blank","title":"Not Found","status":404,"detail":"no such item"}
}
