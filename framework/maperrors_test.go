package framework_test

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/framework/frameworktest"
)

type meItem struct {
	ID int `json:"id"`
}

type meQuery struct {
	framework.Input
	ID int `form:"id" binding:"required"`
}

// loadItem fails as a store does: its own error wraps sql.ErrNoRows.
func loadItem(id int) (*meItem, error) {
	switch id {
	case 1:
		return &meItem{ID: 1}, nil
	case 2:
		return nil, errors.New("the database is down")
	}
	return nil, fmt.Errorf("load item %d: %w", id, sql.ErrNoRows)
}

// MapErrors translates what handlers and dependencies return, on the linear
// path and on the general one, and leaves alone what it does not know and
// what the framework refuses before the route runs.
func TestMapErrors(t *testing.T) {
	var seen []string
	app := frameworktest.Start(t,
		framework.Module(framework.MapErrors(func(err error) error {
			seen = append(seen, err.Error())
			if errors.Is(err, sql.ErrNoRows) {
				return framework.NewHTTPError(http.StatusNotFound, "no such item")
			}
			if strings.Contains(err.Error(), "nil please") {
				return nil // keeps err
			}
			return err
		})),
		framework.Provide(func(r *http.Request) (*meItem, error) {
			var id int
			_, _ = fmt.Sscan(r.URL.Query().Get("id"), &id)
			return loadItem(id)
		}),
		framework.Routes(func(r *framework.Router) {
			r.GET("/dep", func(it *meItem) *meItem { return it }) // linear
			r.GET("/input", func(q meQuery) (*meItem, error) { return loadItem(q.ID) })
			r.GET("/nil", func() (*meItem, error) { return nil, errors.New("nil please") })
		}),
	)
	tests := []struct {
		path   string
		status int
		detail string
	}{
		{"/dep?id=1", 200, ""},
		{"/dep?id=9", 404, "no such item"},
		{"/dep?id=2", 500, "the server could not complete the request"},
		{"/input?id=9", 404, "no such item"},
		{"/input", 422, "the request input is invalid"},
		{"/nil", 500, "the server could not complete the request"},
		{"/nowhere", 404, "no route matches /nowhere"},
	}
	for _, tt := range tests {
		r := app.Get(tt.path)
		var p struct {
			Detail string `json:"detail"`
		}
		r.JSON(t, &p)
		if r.StatusCode != tt.status || p.Detail != tt.detail {
			t.Errorf("GET %s: %d %q, want %d %q", tt.path, r.StatusCode, p.Detail, tt.status, tt.detail)
		}
	}
	want := []string{"load item 9: sql: no rows in result set", "the database is down",
		"load item 9: sql: no rows in result set"}
	// It saw the invalid input too, and never the unknown path.
	if len(seen) != 5 || strings.Join(seen[:3], "|") != strings.Join(want, "|") ||
		seen[3] != "framework: Unprocessable Entity: the request input is invalid" || seen[4] != "nil please" {
		t.Errorf("MapErrors saw %q", seen)
	}
}
