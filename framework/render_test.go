package framework

import (
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// writeJSON answers with the same bytes and headers as gin's c.JSON.
func TestWriteJSONMatchesGin(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	type inner struct {
		Note string  `json:"note,omitempty"`
		F    float64 `json:"f"`
	}
	values := []any{
		map[string]any{"b": 1, "a": []int{1, 2}, "html": "<a href='x'>&</a>", "uni": "żółw \u2028"},
		struct {
			ID    int64    `json:"id"`
			Tags  []string `json:"tags"`
			Inner *inner   `json:"inner"`
			Skip  string   `json:"-"`
		}{ID: 1 << 53, Inner: &inner{F: 0.1}},
		[]byte("bytes"),
		"a string",
		nil,
		jsonDigits(3),
	}
	for _, v := range values {
		for _, status := range []int{http.StatusOK, http.StatusCreated} {
			want := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(want)
			c.JSON(status, v)
			got := httptest.NewRecorder()
			c, _ = gin.CreateTestContext(got)
			writeJSON(c, slog.New(slog.NewTextHandler(io.Discard, nil)), status, v)
			if got.Code != want.Code || got.Body.String() != want.Body.String() ||
				got.Header().Get("Content-Type") != want.Header().Get("Content-Type") {
				t.Errorf("%T %d:\ngot  %d %q %s\nwant %d %q %s", v, status,
					got.Code, got.Header().Get("Content-Type"), got.Body,
					want.Code, want.Header().Get("Content-Type"), want.Body)
			}
		}
	}
}

type jsonDigits int

func (n jsonDigits) MarshalJSON() ([]byte, error) {
	return []byte(`{"n":` + strings.Repeat("9", int(n)) + `}`), nil
}

// A value JSON cannot hold is a 500 problem, where gin's c.JSON leaves an
// empty 200; a Content-Type the handler set is kept.
func TestWriteJSONRefusesUnencodableValues(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, v := range []any{math.NaN(), map[string]any{"ch": make(chan int)}} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
		writeJSON(c, log, http.StatusOK, v)
		if w.Code != http.StatusInternalServerError || w.Header().Get("Content-Type") != "application/problem+json" ||
			!strings.Contains(w.Body.String(), `"status":500`) {
			t.Errorf("%T: %d %q %s, want a 500 problem", v, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Header("Content-Type", "application/vnd.item+json")
	writeJSON(c, log, http.StatusOK, map[string]int{"a": 1})
	if w.Header().Get("Content-Type") != "application/vnd.item+json" || w.Body.String() != `{"a":1}` {
		t.Errorf("preset Content-Type: %q %s", w.Header().Get("Content-Type"), w.Body)
	}
}
