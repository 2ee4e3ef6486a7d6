// Package ginbeside is the example of the guide on what stays gin: engine
// middleware, plain gin handlers beside framework routes, body limits per
// route, and the route table.
package ginbeside

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
)

// Note is one note of the example API.
type Note struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
}

// Notes is the example's store, an fx singleton.
type Notes struct {
	mu    sync.Mutex
	notes []Note
}

// NewNotes returns an empty store.
func NewNotes() *Notes { return &Notes{} }

// region: middleware

// requestID is plain gin middleware: it gives every answer an X-Request-ID
// header, the client's own when it sent one.
func requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if id == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
		id = hex.EncodeToString(b)
	}
	c.Header("X-Request-ID", id)
	c.Next()
}

// endregion

// region: handlers

// NewNote is the body of POST /notes.
type NewNote struct {
	framework.Input
	Text string `json:"text" binding:"required"`
}

func listNotes(n *Notes) []Note {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Note{}, n.notes...)
}

func addNote(in NewNote, n *Notes) Note {
	n.mu.Lock()
	defer n.mu.Unlock()
	note := Note{ID: len(n.notes) + 1, Text: in.Text}
	n.notes = append(n.notes, note)
	return note
}

// healthz is a plain gin handler: it answers in its own format.
func healthz(c *gin.Context) { c.String(http.StatusOK, "ok") }

// endregion

// region: app

// App is the example app.
func App(opts ...framework.Option) fx.Option {
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("Notes")}, opts...)...),
		// Engine middleware goes on before the framework mounts its routes.
		// fx.Decorate runs when the engine is first asked for, which is before.
		fx.Decorate(func(e *gin.Engine) *gin.Engine {
			e.Use(requestID)
			return e
		}),
		fx.Provide(NewNotes),
		framework.Routes(func(r *framework.Router) {
			r.GET("/notes", listNotes)
			// A note is short: 1 KiB, instead of the app's 1 MiB.
			r.POST("/notes", addNote, framework.Status(http.StatusCreated), framework.BodyLimit(1<<10))
			// A plain gin handler, in the same engine and the same document.
			r.Raw(http.MethodGet, "/healthz", healthz)
		}),
	)
}

// endregion

// region: table

// PrintRoutes writes the app's route table: for each route its handler,
// where it was registered, what each parameter resolves to, and whether
// it runs as a linear plan or, if not, why.
func PrintRoutes(w io.Writer) error {
	routes, err := framework.RouteTable(App())
	if err != nil {
		return err
	}
	for _, r := range routes {
		if _, err := fmt.Fprintln(w, r); err != nil {
			return err
		}
	}
	return nil
}

// endregion
