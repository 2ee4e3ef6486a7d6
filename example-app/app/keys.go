package app

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/portcullis/portcullis/example-app/config"
	"github.com/portcullis/portcullis/example-app/store"
	"github.com/portcullis/portcullis/security/token"
)

// Audience is the aud claim of every token the app issues, and the client
// id its OpenID Connect verifier expects.
const Audience = "example-app"

// Names of the keys kept in the store.
const (
	accessKeyName = "access"
	oidcKeyName   = "oidc"
)

// Keys holds the app's signing keys and what is built on them.
type Keys struct {
	// Verify holds both keys; it verifies every token and publishes the
	// public key in the JWKS.
	Verify *token.KeySet
	// Access signs access tokens with HS256.
	Access *token.Issuer
	// OIDC signs tokens that carry the openid scope with ES256.
	OIDC *token.Issuer
}

// IssueAccessToken signs with the ES256 OIDC issuer when a client took part
// (the authorization code grant, or a password grant through a client) and
// scopes contain "openid", and with the HS256 issuer otherwise, so a plain
// password login always gets an HS256 token. It lets *Keys serve as the
// token endpoint's issuer.
func (k *Keys) IssueAccessToken(ctx context.Context, subject, clientID string, scopes []string) (string, time.Duration, error) {
	if clientID != "" && slices.Contains(scopes, scopeOpenID) {
		return k.OIDC.IssueAccessToken(ctx, subject, clientID, scopes)
	}
	return k.Access.IssueAccessToken(ctx, subject, clientID, scopes)
}

// loadKeys reads the signing keys from the store, creating those that are
// missing, and builds the issuers.
func loadKeys(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger) (*Keys, error) {
	access, err := accessKey(ctx, cfg, st, log)
	if err != nil {
		return nil, err
	}
	oidc, err := oidcKey(ctx, st, log)
	if err != nil {
		return nil, err
	}
	accessSet, err := token.NewKeySet(access)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	oidcSet, err := token.NewKeySet(oidc)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	verify, err := token.NewKeySet(oidc, access)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	k := &Keys{Verify: verify}
	k.Access, err = token.NewIssuer(token.IssuerConfig{Issuer: cfg.IssuerURL, Audience: []string{Audience}, Keys: accessSet})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	k.OIDC, err = token.NewIssuer(token.IssuerConfig{Issuer: cfg.IssuerURL, Audience: []string{Audience}, Keys: oidcSet})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return k, nil
}

// accessKey returns the HS256 key: JWT_SECRET's, or the stored one, made on
// first start.
func accessKey(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger) (token.Key, error) {
	if cfg.JWTSecret != "" {
		k, err := token.NewHMACKey("", []byte(cfg.JWTSecret))
		if err != nil {
			return token.Key{}, fmt.Errorf("app: JWT_SECRET: %w", err)
		}
		return k, nil
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret) // crypto/rand.Read never fails
	fresh, err := token.NewHMACKey("", secret)
	if err != nil {
		return token.Key{}, fmt.Errorf("app: %w", err)
	}
	stored, created, err := st.PutKeyIfAbsent(ctx, store.Key{Name: accessKeyName, ID: fresh.ID, Algorithm: token.HS256, Material: secret})
	if err != nil {
		return token.Key{}, fmt.Errorf("app: access key: %w", err)
	}
	if created {
		log.Info("JWT_SECRET is not set: generated an HS256 signing key and stored it in the database", "kid", stored.ID)
	}
	k, err := token.NewHMACKey(stored.ID, stored.Material)
	if err != nil {
		return token.Key{}, fmt.Errorf("app: stored access key: %w", err)
	}
	return k, nil
}

// oidcKey returns the ES256 key, made and stored on first start.
func oidcKey(ctx context.Context, st *store.Store, log *slog.Logger) (token.Key, error) {
	stored, ok, err := st.Key(ctx, oidcKeyName)
	if err != nil {
		return token.Key{}, fmt.Errorf("app: OpenID Connect key: %w", err)
	}
	if !ok {
		gen, err := token.GenerateKey(token.ES256)
		if err != nil {
			return token.Key{}, fmt.Errorf("app: %w", err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(gen.Private)
		if err != nil {
			return token.Key{}, fmt.Errorf("app: encoding the OpenID Connect key: %w", err)
		}
		var created bool
		stored, created, err = st.PutKeyIfAbsent(ctx, store.Key{Name: oidcKeyName, ID: gen.ID, Algorithm: token.ES256, Material: der})
		if err != nil {
			return token.Key{}, fmt.Errorf("app: OpenID Connect key: %w", err)
		}
		if created {
			log.Info("generated an ES256 key for OpenID Connect tokens and stored it in the database", "kid", stored.ID)
		}
	}
	priv, err := x509.ParsePKCS8PrivateKey(stored.Material)
	if err != nil {
		return token.Key{}, fmt.Errorf("app: stored OpenID Connect key: %w", err)
	}
	k, err := token.NewKey(stored.ID, stored.Algorithm, priv)
	if err != nil {
		return token.Key{}, fmt.Errorf("app: stored OpenID Connect key: %w", err)
	}
	return k, nil
}
