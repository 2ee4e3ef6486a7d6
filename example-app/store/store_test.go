package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portcullis/portcullis/example-app/store"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/oauth2server"
)

// fakeHasher is a cheap stand-in for argon2id: the tests check what is
// stored, not how hard it is to reverse.
type fakeHasher struct{}

func (fakeHasher) Hash(_ context.Context, pw string) (string, error) { return "fake$" + pw, nil }

func openSeeded(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(dir, "test.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Seed(context.Background(), store.Seed{
		Hasher: fakeHasher{}, Realm: "example", DemoAPIKey: "k-123",
		RedirectURIs: []string{"http://a.example/cb", "http://b.example/cb"},
	}); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return s
}

func TestDSN(t *testing.T) {
	tests := []struct {
		name, in, prefix string
		wantErr          bool
	}{
		{name: "plain path", in: "data/app.db", prefix: "file:data/app.db?_pragma=journal_mode(WAL)"},
		{name: "file URI", in: "file:app.db", prefix: "file:app.db?_pragma="},
		{name: "file URI with query", in: "file:app.db?mode=rwc", prefix: "file:app.db?mode=rwc&_pragma="},
		{name: "empty", in: " ", wantErr: true},
		{name: "plain path with query mark", in: "a?b.db", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := store.DSN(tt.in)
			if tt.wantErr {
				if !errors.Is(err, store.ErrBadDSN) {
					t.Fatalf("DSN(%q) error = %v, want ErrBadDSN", tt.in, err)
				}
				return
			}
			if err != nil || !strings.HasPrefix(got, tt.prefix) {
				t.Fatalf("DSN(%q) = %q, %v; want prefix %q", tt.in, got, err, tt.prefix)
			}
			for _, want := range []string{"busy_timeout(", "foreign_keys(1)", "_txlock=immediate"} {
				if !strings.Contains(got, want) {
					t.Errorf("DSN(%q) = %q lacks %q", tt.in, got, want)
				}
			}
		})
	}
}

func TestSeedAndReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openSeeded(t, dir)
	if v, err := s.SchemaVersion(ctx); err != nil || v != 1 {
		t.Fatalf("SchemaVersion = %d, %v; want 1", v, err)
	}
	var mode string
	if err := s.DB().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	seeded, err := s.Seed(ctx, store.Seed{Hasher: fakeHasher{}, Realm: "example", DemoAPIKey: "other"})
	if err != nil || seeded {
		t.Fatalf("second Seed = %v, %v; want false, nil", seeded, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openSeeded(t, dir)

	tests := []struct {
		name     string
		user     string
		found    bool
		disabled bool
		scopes   []string
	}{
		{name: "johndoe", user: "johndoe", found: true, scopes: []string{"me", "items", "openid"}},
		{name: "alice is disabled", user: "alice", found: true, disabled: true, scopes: []string{"me", "items"}},
		{name: "unknown", user: "nobody"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, found, err := s2.LookupUser(ctx, tt.user)
			if err != nil || found != tt.found {
				t.Fatalf("LookupUser(%q) found = %v, %v", tt.user, found, err)
			}
			if !found {
				return
			}
			if u.Disabled != tt.disabled || !slices.Equal(u.Scopes, tt.scopes) || u.Subject != tt.user {
				t.Fatalf("LookupUser(%q) = %+v", tt.user, u)
			}
			if strings.Contains(u.PasswordHash, "secret") && !strings.HasPrefix(u.PasswordHash, "fake$") {
				t.Fatalf("password stored in clear: %q", u.PasswordHash)
			}
		})
	}
	prof, ok, err := s2.UserBySubject(ctx, "johndoe")
	want := store.User{Username: "johndoe", Email: "johndoe@example.com", FullName: "John Doe"}
	if err != nil || !ok || prof != want {
		t.Fatalf("UserBySubject = %+v, %v, %v; want %+v", prof, ok, err, want)
	}
}

func TestAPIKeysAndDigest(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t, t.TempDir())
	for _, tt := range []struct {
		name, key string
		want      bool
	}{
		{"seeded key", "k-123", true},
		{"wrong key", "k-124", false},
		{"empty", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.CheckAPIKey(ctx, tt.key)
			if err != nil || got != tt.want {
				t.Fatalf("CheckAPIKey(%q) = %v, %v; want %v", tt.key, got, err, tt.want)
			}
		})
	}
	var stored string
	if err := s.DB().QueryRowContext(ctx, "SELECT digest FROM api_keys").Scan(&stored); err != nil || stored != store.APIKeyDigest("k-123") {
		t.Fatalf("stored digest = %q, %v", stored, err)
	}
	for _, tt := range []struct {
		name, user, alg string
		want            string
	}{
		{"sha-256", "johndoe", security.DigestSHA256, security.DigestHA1(security.DigestSHA256, "johndoe", "example", "secret")},
		{"md5", "johndoe", security.DigestMD5, security.DigestHA1(security.DigestMD5, "johndoe", "example", "secret")},
		{"disabled user", "alice", security.DigestSHA256, ""},
		{"unknown algorithm", "johndoe", "SHA-512", ""},
	} {
		t.Run("digest "+tt.name, func(t *testing.T) {
			got, ok, err := s.DigestHA1(ctx, tt.user, tt.alg)
			if err != nil || got != tt.want || ok != (tt.want != "") {
				t.Fatalf("DigestHA1 = %q, %v, %v; want %q", got, ok, err, tt.want)
			}
		})
	}
}

func TestItems(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t, t.TempDir())
	tests := []struct {
		name   string
		viewer string
		want   []string
	}{
		{"anonymous", "", []string{"Bar", "Baz"}},
		{"johndoe", "johndoe", []string{"Foo", "Bar", "Baz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := s.VisibleItems(ctx, tt.viewer)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, it := range items {
				ids = append(ids, it.ItemID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Fatalf("VisibleItems(%q) = %v, want %v", tt.viewer, ids, tt.want)
			}
		})
	}
	own, err := s.ItemsOf(ctx, "johndoe")
	if err != nil || len(own) != 2 || own[0] != (store.Item{ItemID: "Foo", Owner: "johndoe"}) {
		t.Fatalf("ItemsOf = %+v, %v", own, err)
	}
}

func TestClientAndCodes(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t, t.TempDir())
	c, ok, err := s.LookupClient(ctx, "demo-client")
	if err != nil || !ok || c.Public || !slices.Equal(c.Scopes, []string{"me", "items", "openid"}) ||
		!slices.Equal(c.RedirectURIs, []string{"http://a.example/cb", "http://b.example/cb"}) || c.SecretHash != "fake$demo-secret" ||
		!slices.Contains(c.Grants, "implicit") || !slices.Contains(c.Grants, "authorization_code") {
		t.Fatalf("LookupClient = %+v, %v, %v", c, ok, err)
	}
	code := oauth2server.AuthCode{Code: "d1", ClientID: "demo-client", Subject: "johndoe", Username: "johndoe",
		RedirectURI: "http://a.example/cb", Challenge: "ch", ChallengeMethod: "S256", Scopes: []string{"items"},
		ExpiresAt: time.Now().Add(time.Minute).Round(0)}
	if err := s.SaveCode(ctx, code); err != nil {
		t.Fatal(err)
	}
	// Concurrent redemptions: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Go(func() {
			got, ok, err := s.TakeCode(ctx, "d1")
			if err != nil {
				t.Errorf("TakeCode: %v", err)
				return
			}
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
				if !got.ExpiresAt.Equal(code.ExpiresAt) || got.RedirectURI != code.RedirectURI || !slices.Equal(got.Scopes, code.Scopes) {
					t.Errorf("TakeCode = %+v, want %+v", got, code)
				}
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d redemptions won, want 1", wins)
	}
}

func TestRefreshTokens(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t, t.TempDir())
	tok := oauth2server.RefreshToken{ID: "r1", FamilyID: "f1", Subject: "johndoe", Username: "johndoe",
		Scopes: []string{"me"}, ExpiresAt: time.Now().Add(time.Hour)}
	if err := s.SaveRefresh(ctx, tok); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name               string
		id                 string
		found, used, revok bool
	}{
		{name: "first use", id: "r1", found: true},
		{name: "second use reports used", id: "r1", found: true, used: true},
		{name: "unknown", id: "nope"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			got, found, err := s.UseRefresh(ctx, st.id)
			if err != nil || found != st.found || got.Used != st.used || got.Revoked != st.revok {
				t.Fatalf("UseRefresh(%q) = %+v, %v, %v", st.id, got, found, err)
			}
		})
	}
	if err := s.RevokeFamily(ctx, "f1"); err != nil {
		t.Fatal(err)
	}
	late := tok
	late.ID = "r2"
	if err := s.SaveRefresh(ctx, late); err != nil {
		t.Fatal(err)
	}
	got, found, err := s.UseRefresh(ctx, "r2")
	if err != nil || !found || !got.Revoked {
		t.Fatalf("token saved into a revoked family = %+v, %v, %v; want revoked", got, found, err)
	}
}

func TestKeys(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t, t.TempDir())
	if _, ok, err := s.Key(ctx, "access"); err != nil || ok {
		t.Fatalf("Key before put = %v, %v", ok, err)
	}
	first := store.Key{Name: "access", ID: "kid-1", Algorithm: "HS256", Material: []byte("0123456789abcdef0123456789abcdef")}
	got, created, err := s.PutKeyIfAbsent(ctx, first)
	if err != nil || !created || got.ID != "kid-1" || string(got.Material) != string(first.Material) {
		t.Fatalf("PutKeyIfAbsent = %+v, %v, %v", got, created, err)
	}
	second := store.Key{Name: "access", ID: "kid-2", Algorithm: "HS256", Material: []byte("other")}
	got, created, err = s.PutKeyIfAbsent(ctx, second)
	if err != nil || created || got.ID != "kid-1" {
		t.Fatalf("second PutKeyIfAbsent = %+v, %v, %v; want the first key kept", got, created, err)
	}
}
