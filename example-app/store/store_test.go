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
	if _, err := s.Seed(context.Background(), testSeed()); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return s
}

// testSeed is the seed of the tests, with the cheap hasher.
func testSeed() store.Seed {
	return store.Seed{
		Hasher: fakeHasher{}, Realm: "example", DemoAPIKey: "k-123",
		RedirectURIs: []string{"http://a.example/cb", "http://b.example/cb"},
	}
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
	if v, err := s.SchemaVersion(ctx); err != nil || v != 3 {
		t.Fatalf("SchemaVersion = %d, %v; want 3", v, err)
	}
	var mode string
	if err := s.DB().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	seeded, err := s.Seed(ctx, store.Seed{Hasher: fakeHasher{}, Realm: "example", DemoAPIKey: "other",
		RedirectURIs: []string{"http://other.example/cb"}})
	if err != nil || seeded.Demo || len(seeded.Added) != 0 {
		t.Fatalf("second Seed = %+v, %v; want nothing written", seeded, err)
	}
	if ok, err := s.CheckAPIKey(ctx, "other"); err != nil || ok {
		t.Fatalf("the second Seed stored its API key: %v, %v", ok, err)
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
	checkClients(t, s)
	code := oauth2server.AuthCode{Code: "d1", ClientID: "swagger-ui", Subject: "johndoe", Username: "johndoe",
		RedirectURI: "http://a.example/cb", Challenge: "ch", ChallengeMethod: "S256", Scopes: []string{"items"},
		ExpiresAt: time.Now().Add(time.Minute).Round(0)}
	if err := s.SaveCode(ctx, code); err != nil {
		t.Fatal(err)
	}
	// Concurrent redemptions: every one finds the code, exactly one unused.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Go(func() {
			got, ok, err := s.TakeCode(ctx, "d1")
			if err != nil || !ok {
				t.Errorf("TakeCode: %v, found %v", err, ok)
				return
			}
			if !got.Used {
				mu.Lock()
				wins++
				mu.Unlock()
			}
			got.Used = false
			if !got.ExpiresAt.Equal(code.ExpiresAt) || got.RedirectURI != code.RedirectURI || !slices.Equal(got.Scopes, code.Scopes) {
				t.Errorf("TakeCode = %+v, want %+v", got, code)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d redemptions saw the code unused, want 1", wins)
	}
	if _, ok, err := s.TakeCode(ctx, "unknown"); ok || err != nil {
		t.Fatalf("an unknown code: found %v, %v", ok, err)
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

	// A family revoked before it has a token, as a reused code's is when
	// the first redemption has not saved its token yet.
	if err := s.RevokeFamily(ctx, "code:c1"); err != nil {
		t.Fatal(err)
	}
	first := oauth2server.RefreshToken{ID: "r3", FamilyID: "code:c1", Subject: "johndoe", Username: "johndoe",
		ExpiresAt: time.Now().Add(time.Hour)}
	if err := s.SaveRefresh(ctx, first); err != nil {
		t.Fatal(err)
	}
	if got, found, err := s.UseRefresh(ctx, "r3"); err != nil || !found || !got.Revoked {
		t.Fatalf("token saved into a family revoked before it had one = %+v, %v, %v; want revoked", got, found, err)
	}

	// Tokens that expired an hour ago go with the next save; newer ones stay.
	old := oauth2server.RefreshToken{ID: "r-old", FamilyID: "f2", Subject: "johndoe", Username: "johndoe",
		ExpiresAt: time.Now().Add(-2 * time.Hour)}
	recent := oauth2server.RefreshToken{ID: "r-recent", FamilyID: "f2", Subject: "johndoe", Username: "johndoe",
		ExpiresAt: time.Now().Add(-time.Minute)}
	for _, tok := range []oauth2server.RefreshToken{old, recent, {ID: "r4", FamilyID: "f3", ExpiresAt: time.Now().Add(time.Hour)}} {
		if err := s.SaveRefresh(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if _, found, _ := s.UseRefresh(ctx, "r-old"); found {
		t.Error("a token that expired two hours ago was kept")
	}
	if _, found, _ := s.UseRefresh(ctx, "r-recent"); !found {
		t.Error("a token that expired a minute ago is gone; reuse of it would go unnoticed")
	}
}

// Codes that expired an hour ago go with the next save, redeemed or not.
func TestExpiredCodesArePurged(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t, t.TempDir())
	code := func(id string, exp time.Time) oauth2server.AuthCode {
		return oauth2server.AuthCode{Code: id, ClientID: "swagger-ui", Subject: "johndoe", Username: "johndoe",
			RedirectURI: "http://a.example/cb", Challenge: "ch", ChallengeMethod: "S256", ExpiresAt: exp}
	}
	for _, c := range []oauth2server.AuthCode{code("old", time.Now().Add(-2*time.Hour)), code("recent", time.Now().Add(-time.Minute)),
		code("new", time.Now().Add(time.Minute))} {
		if err := s.SaveCode(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, found, _ := s.TakeCode(ctx, "old"); found {
		t.Error("a code that expired two hours ago was kept")
	}
	for _, id := range []string{"recent", "new"} {
		if _, found, _ := s.TakeCode(ctx, id); !found {
			t.Errorf("code %q is gone", id)
		}
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

// checkClients checks the two seeded clients: demo-client is confidential
// with the scope items and client credentials only, swagger-ui is public
// with Swagger UI's redirect URIs.
func checkClients(t *testing.T, s *store.Store) {
	t.Helper()
	tests := []struct {
		name string
		id   string
		want oauth2server.Client
	}{
		{name: "demo-client is confidential", id: store.DemoClientID, want: oauth2server.Client{
			ID: "demo-client", SecretHash: "fake$demo-secret", Scopes: []string{"items"}, RedirectURIs: []string{},
			Grants: []string{"client_credentials"},
		}},
		{name: "swagger-ui is public", id: store.SwaggerUIClientID, want: oauth2server.Client{
			ID: "swagger-ui", Public: true, Scopes: []string{"me", "items", "openid"},
			RedirectURIs: []string{"http://a.example/cb", "http://b.example/cb"},
			Grants:       []string{"password", "authorization_code", "implicit", "refresh_token"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok, err := s.LookupClient(context.Background(), tt.id)
			if err != nil || !ok {
				t.Fatalf("LookupClient(%q) = %v, %v", tt.id, ok, err)
			}
			if c.ID != tt.want.ID || c.SecretHash != tt.want.SecretHash || c.Public != tt.want.Public ||
				!slices.Equal(c.Scopes, tt.want.Scopes) || !slices.Equal(c.RedirectURIs, tt.want.RedirectURIs) ||
				!slices.Equal(c.Grants, tt.want.Grants) {
				t.Fatalf("LookupClient(%q) = %+v, want %+v", tt.id, c, tt.want)
			}
		})
	}
}

// TestSeedUpgradesOlderDatabase reopens a database as an older build left
// it: schema version 1, demo-client with every grant and Swagger UI's
// redirect URIs, no swagger-ui client, codes without a used column and no
// revoked_families table.
// The migrations narrow demo-client and add the column, and Seed adds
// swagger-ui, keeping the rest.
func TestSeedUpgradesOlderDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := openSeeded(t, dir)
	for _, q := range []string{
		`DELETE FROM clients WHERE id = 'swagger-ui'`,
		`UPDATE clients SET scopes = 'me items openid', redirect_uris = 'http://a.example/cb http://b.example/cb',
			grants = 'password client_credentials refresh_token authorization_code implicit' WHERE id = 'demo-client'`,
		`ALTER TABLE auth_codes DROP COLUMN used`,
		`DROP TABLE revoked_families`,
		`UPDATE schema_version SET version = 1`,
	} {
		if _, err := old.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("make an older database: %v", err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := store.Open(ctx, filepath.Join(dir, "test.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if v, err := s.SchemaVersion(ctx); err != nil || v != 3 {
		t.Fatalf("SchemaVersion = %d, %v; want 3", v, err)
	}
	seeded, err := s.Seed(ctx, testSeed())
	if err != nil || seeded.Demo || !slices.Equal(seeded.Added, []string{"swagger-ui"}) {
		t.Fatalf("Seed = %+v, %v; want only swagger-ui added", seeded, err)
	}
	checkClients(t, s)
	again, err := s.Seed(ctx, testSeed())
	if err != nil || again.Demo || len(again.Added) != 0 {
		t.Fatalf("Seed again = %+v, %v; want nothing written", again, err)
	}
	if u, ok, err := s.LookupUser(ctx, "johndoe"); err != nil || !ok || u.PasswordHash != "fake$secret" {
		t.Fatalf("johndoe after the upgrade = %+v, %v, %v", u, ok, err)
	}
}

func TestSeedRefusesIncompleteData(t *testing.T) {
	tests := []struct {
		name string
		edit func(*store.Seed)
	}{
		{name: "no redirect URIs", edit: func(s *store.Seed) { s.RedirectURIs = nil }},
		{name: "no hasher", edit: func(s *store.Seed) { s.Hasher = nil }},
		{name: "no API key", edit: func(s *store.Seed) { s.DemoAPIKey = "" }},
		{name: "no realm", edit: func(s *store.Seed) { s.Realm = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, err := store.Open(ctx, filepath.Join(t.TempDir(), "test.db"))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { _ = s.Close() })
			seed := testSeed()
			tt.edit(&seed)
			if got, err := s.Seed(ctx, seed); !errors.Is(err, store.ErrBadSeed) || got.Demo {
				t.Fatalf("Seed = %+v, %v; want ErrBadSeed", got, err)
			}
			var n int
			if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM clients`).Scan(&n); err != nil || n != 0 {
				t.Fatalf("%d clients after a refused seed (%v); want none", n, err)
			}
		})
	}
}
