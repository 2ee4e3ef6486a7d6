// Package problems is the example of the errors guide: refusals a handler
// returns, a store's errors mapped in one place, invalid input, and what a
// client sees of a failure it should not know about.
package problems

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
)

// region: store

// ErrNotFound is the store's "no such item", as database/sql has
// sql.ErrNoRows. Handlers wrap it with context and return it.
var ErrNotFound = errors.New("store: not found")

// Item is one item of the example store.
type Item struct {
	ID     int    `json:"id"`
	Name   string `json:"name"`
	Locked bool   `json:"locked"`
}

// Store is the example's store.
type Store struct {
	mu    sync.Mutex
	items map[int]Item
}

// NewStore returns a store with item 1 (free) and item 2 (locked).
func NewStore() *Store {
	return &Store{items: map[int]Item{1: {ID: 1, Name: "tea"}, 2: {ID: 2, Name: "coffee", Locked: true}}}
}

// Get returns item id, or an error wrapping ErrNotFound.
func (s *Store) Get(_ context.Context, id int) (Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[id]
	if !ok {
		return Item{}, fmt.Errorf("store: item %d: %w", id, ErrNotFound)
	}
	return it, nil
}

// endregion

// region: handlers

// ItemPath is the input of the item routes: the id in the path.
type ItemPath struct {
	framework.Input
	ID int `uri:"id" binding:"required,min=1"`
}

// Rename is the input of PATCH /items/:id.
type Rename struct {
	framework.Input
	ID   int    `uri:"id" binding:"required,min=1"`
	Name string `json:"name" binding:"required,max=20"`
}

func getItem(ctx context.Context, in ItemPath, s *Store) (Item, error) {
	return s.Get(ctx, in.ID) // a missing item becomes a 404 through MapErrors
}

func renameItem(ctx context.Context, in Rename, s *Store) (Item, error) {
	it, err := s.Get(ctx, in.ID)
	if err != nil {
		return Item{}, err
	}
	if it.Locked {
		// A refusal with a status, a detail the client reads, and a header.
		e := framework.NewHTTPError(http.StatusConflict, "item "+strconv.Itoa(it.ID)+" is locked")
		e.Header = http.Header{"Retry-After": {"120"}}
		return Item{}, e
	}
	it.Name = in.Name
	return it, nil
}

// reindex fails in a way the client should not learn about.
func reindex() error {
	return errors.New("search: the index server refused the connection")
}

// endregion

// region: app

// App is the example app.
func App(opts ...framework.Option) fx.Option {
	mapErrors := framework.MapErrors(func(err error) error {
		if errors.Is(err, ErrNotFound) {
			return framework.NewHTTPError(http.StatusNotFound, "no such item")
		}
		return err // anything else keeps its own answer, or is a 500
	})
	return fx.Options(
		framework.Module(append([]framework.Option{framework.Title("Errors"), mapErrors}, opts...)...),
		fx.Provide(NewStore),
		framework.Routes(func(r *framework.Router) {
			// Problems documents the statuses MapErrors and the handler add.
			r.GET("/items/:id", getItem, framework.Problems(http.StatusNotFound))
			r.PATCH("/items/:id", renameItem, framework.Problems(http.StatusNotFound, http.StatusConflict))
			r.POST("/reindex", reindex)
		}),
	)
}

// endregion
