// Package passwordflow is the example of the password-flow guide: a token
// endpoint on security/oauth2server, an in-memory user store, HS256 access
// tokens and argon2id password hashes. The examples of the other guides
// reuse it through [Module].
package passwordflow

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/gin-gonic/gin"
	"go.uber.org/fx"

	"github.com/portcullis/portcullis/framework"
	"github.com/portcullis/portcullis/security"
	"github.com/portcullis/portcullis/security/oauth2server"
	"github.com/portcullis/portcullis/security/password"
	"github.com/portcullis/portcullis/security/token"
)

// region: user

// User is an account of the example API.
type User struct {
	Username     string   `json:"username"`
	Email        string   `json:"email"`
	FullName     string   `json:"full_name"`
	Disabled     bool     `json:"disabled"`
	Scopes       []string `json:"-"`
	PasswordHash string   `json:"-"`
}

// endregion

// region: store

// Users keeps the accounts in memory. It is the oauth2server.UserStore of
// the token endpoint.
type Users struct {
	mu     sync.RWMutex
	byName map[string]User
}

// NewUsers returns an empty store.
func NewUsers() *Users { return &Users{byName: map[string]User{}} }

// Add stores u with the argon2id hash of plain.
func (s *Users) Add(ctx context.Context, h *password.Hasher, u User, plain string) error {
	hash, err := h.Hash(ctx, plain)
	if err != nil {
		return fmt.Errorf("passwordflow: hashing the password of %s: %w", u.Username, err)
	}
	u.PasswordHash = hash
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byName[u.Username] = u
	return nil
}

// Get returns the user called name.
func (s *Users) Get(name string) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.byName[name]
	return u, ok
}

// LookupUser gives the token endpoint what it needs to check a login. The
// username is the token's subject.
func (s *Users) LookupUser(_ context.Context, name string) (oauth2server.User, bool, error) {
	u, ok := s.Get(name)
	if !ok {
		return oauth2server.User{}, false, nil
	}
	return oauth2server.User{
		Subject:      u.Username,
		PasswordHash: u.PasswordHash,
		Scopes:       slices.Clone(u.Scopes),
		Disabled:     u.Disabled,
	}, true, nil
}

// UpdatePasswordHash stores a fresh hash after a login that used an old one.
func (s *Users) UpdatePasswordHash(_ context.Context, name, hash string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.byName[name]
	if !ok {
		return fmt.Errorf("passwordflow: no user %q: %w", name, ErrNoUser)
	}
	u.PasswordHash = hash
	s.byName[name] = u
	return nil
}

// endregion

// region: seed

// SeedUsers returns a store with the users of the example API: johndoe,
// password "secret", and alice, password "secret2", who is disabled.
func SeedUsers(h *password.Hasher) (*Users, error) {
	ctx := context.Background()
	users := NewUsers()
	if err := users.Add(ctx, h, User{
		Username: "johndoe", Email: "johndoe@example.com", FullName: "John Doe",
		Scopes: []string{"me", "items"},
	}, "secret"); err != nil {
		return nil, err
	}
	if err := users.Add(ctx, h, User{
		Username: "alice", Email: "alice@example.com", FullName: "Alice Wonderson",
		Scopes: []string{"me", "items"}, Disabled: true,
	}, "secret2"); err != nil {
		return nil, err
	}
	return users, nil
}

// endregion

// region: tokens

// The iss and aud claims of the example's tokens. The verifier accepts no
// other.
const (
	Issuer   = "https://api.example.com"
	Audience = "items-api"
)

// NewTokens returns the issuer that signs access tokens and the verifier
// that checks them, both on one HS256 key made from secret (32 bytes or
// more).
func NewTokens(secret []byte) (*token.Issuer, *token.Verifier, error) {
	key, err := token.NewHMACKey("", secret)
	if err != nil {
		return nil, nil, fmt.Errorf("passwordflow: %w", err)
	}
	keys, err := token.NewKeySet(key)
	if err != nil {
		return nil, nil, fmt.Errorf("passwordflow: %w", err)
	}
	issuer, err := token.NewIssuer(token.IssuerConfig{
		Issuer: Issuer, Audience: []string{Audience}, Keys: keys,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("passwordflow: %w", err)
	}
	verifier, err := token.NewVerifier(token.VerifierConfig{
		Issuer: Issuer, Audience: Audience, Algorithms: []string{token.HS256}, Keys: keys,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("passwordflow: %w", err)
	}
	return issuer, verifier, nil
}

// endregion

// region: server

// NewServer builds the token endpoint. It answers the password grant
// (grant_type may be left out, as FastAPI's clients do) and grants only
// the scopes the user has among those asked for.
func NewServer(users *Users, issuer *token.Issuer, h *password.Hasher) (*oauth2server.Server, error) {
	return oauth2server.New(oauth2server.Config{
		Users:       users,
		Issuer:      issuer,
		Hasher:      h,
		KnownScopes: []string{"me", "items"},
	})
}

// endregion

// region: route

// TokenResponse documents the answer of POST /token.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}

// TokenRoute mounts the token endpoint. It is a raw gin handler, so Doc
// describes its form and its answer for the OpenAPI document.
func TokenRoute(r *framework.Router) {
	r.Raw("POST", "/token",
		func(s *oauth2server.Server) gin.HandlerFunc { return s.TokenHandler() },
		framework.Summary("Log in and get an access token"),
		framework.Tags("auth"),
		framework.Doc(security.OAuth2PasswordRequestForm{}, TokenResponse{}),
		framework.Problems(400, 401, 429))
}

// endregion

// region: module

// Module wires the token endpoint into an app: the password hasher, the
// users, the issuer and verifier, the server and the route. secret is the
// HS256 key.
func Module(secret []byte) fx.Option {
	return fx.Options(
		fx.Provide(
			func() *password.Hasher { return password.New() },
			SeedUsers,
			func() (*token.Issuer, *token.Verifier, error) { return NewTokens(secret) },
			NewServer,
		),
		framework.Routes(TokenRoute),
	)
}

// endregion

// FastHashing replaces the hasher with one of the cheapest argon2id
// parameters, so tests hash and verify in microseconds. Never use it in
// production.
func FastHashing() fx.Option {
	return fx.Decorate(func(*password.Hasher) *password.Hasher {
		return password.New(password.WithParams(password.Params{
			Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32,
		}))
	})
}

// TestSecret is the HS256 key the examples' tests sign with.
var TestSecret = []byte("an example secret of thirty-two bytes or more")
