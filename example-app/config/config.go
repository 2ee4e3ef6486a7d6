// Package config reads example-app's settings from the environment.
//
// # Variables
//
//   - ADDR: the listen address, default 127.0.0.1:8080.
//   - DATABASE_URL: an SQLite file path or "file:" URI, default example-app.db.
//   - JWT_SECRET: when set, access tokens are HS256-signed with it (at least
//     32 bytes); when unset, a key is generated on first start and kept in
//     the database.
//   - DEMO_API_KEY: the seeded API key, default demo-api-key.
//   - ISSUER_URL: the token issuer and OpenID Connect issuer, default
//     "http://" + ADDR.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrInvalid means a setting cannot be used.
var ErrInvalid = errors.New("config: invalid setting")

// Defaults.
const (
	DefaultAddr        = "127.0.0.1:8080"
	DefaultDatabaseURL = "example-app.db"
	DefaultDemoAPIKey  = "demo-api-key"
	minJWTSecret       = 32
)

// Config is example-app's configuration.
type Config struct {
	// Addr is the listen address.
	Addr string
	// DatabaseURL is the SQLite file path or "file:" URI.
	DatabaseURL string
	// JWTSecret, when not empty, signs access tokens with HS256.
	JWTSecret string
	// DemoAPIKey is the API key the first start seeds.
	DemoAPIKey string
	// IssuerURL is the iss of every token and the OpenID Connect issuer.
	IssuerURL string
}

// FromEnv reads the configuration with getenv (os.Getenv in main), filling
// in the defaults.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:        getenv("ADDR"),
		DatabaseURL: getenv("DATABASE_URL"),
		JWTSecret:   getenv("JWT_SECRET"),
		DemoAPIKey:  getenv("DEMO_API_KEY"),
		IssuerURL:   getenv("ISSUER_URL"),
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = DefaultDatabaseURL
	}
	if c.DemoAPIKey == "" {
		c.DemoAPIKey = DefaultDemoAPIKey
	}
	if c.IssuerURL == "" {
		c.IssuerURL = "http://" + c.Addr
	}
	return c, c.Validate()
}

// Validate reports a setting that cannot work.
func (c Config) Validate() error {
	if c.JWTSecret != "" && len(c.JWTSecret) < minJWTSecret {
		return fmt.Errorf("%w: JWT_SECRET has %d bytes; use at least %d random bytes", ErrInvalid, len(c.JWTSecret), minJWTSecret)
	}
	u, err := url.Parse(c.IssuerURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: ISSUER_URL %q is not an absolute http(s) URL", ErrInvalid, c.IssuerURL)
	}
	if strings.HasSuffix(c.IssuerURL, "/") {
		return fmt.Errorf("%w: ISSUER_URL %q must not end with a slash", ErrInvalid, c.IssuerURL)
	}
	return nil
}
