package oauth2server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/portcullis/portcullis/security/password"
)

// BenchmarkPasswordLogin measures a password grant with the hasher's
// default (production) parameters. Each case costs one argon2id
// verification, so the three should be close.
func BenchmarkPasswordLogin(b *testing.B) {
	hasher := password.New()
	enc, err := hasher.Hash(context.Background(), "secret")
	if err != nil {
		b.Fatal(err)
	}
	users := &fakeUsers{users: map[string]User{
		"johndoe": {Subject: "sub-john", PasswordHash: enc, Scopes: []string{"me", "items"}},
	}, updates: map[string]string{}}
	srv, err := New(Config{
		Users: users, Issuer: &fakeIssuer{}, Hasher: hasher,
		LoginRate: rate.Inf, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	e := gin.New()
	e.POST("/token", srv.TokenHandler())
	cases := []struct {
		name, body string
		status     int
	}{
		{"success", "username=johndoe&password=secret&scope=me", http.StatusOK},
		{"wrong password", "username=johndoe&password=nope", http.StatusBadRequest},
		{"unknown user", "username=ghost&password=nope", http.StatusBadRequest},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(c.body))
				r.Header.Set("Content-Type", formContentType)
				w := httptest.NewRecorder()
				e.ServeHTTP(w, r)
				if w.Code != c.status {
					b.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
				}
			}
		})
	}
}
