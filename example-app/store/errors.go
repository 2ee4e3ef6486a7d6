package store

import "errors"

// Sentinel errors of the store.
var (
	// ErrMigration means the schema could not be brought up to date.
	ErrMigration = errors.New("store: migration failed")
	// ErrBadDSN means the database location cannot be used.
	ErrBadDSN = errors.New("store: bad database location")
	// ErrNotFound means a requested row does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrBadSeed means the demo data to seed is incomplete.
	ErrBadSeed = errors.New("store: bad seed")
)
