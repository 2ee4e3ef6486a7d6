// Package store is example-app's database: SQLite through database/sql and
// the pure-Go modernc.org/sqlite driver, so the app builds without cgo.
//
// # Opening
//
// [Open] takes a plain file path or a "file:" URI, turns on WAL journaling,
// a busy timeout and foreign keys for every connection, and runs the
// embedded migrations in one transaction, recording the schema version in
// the schema_version table. Opening a database that a newer build migrated
// fails rather than guessing.
//
// # Seeding
//
// [Store.Seed] fills an empty database with the demo data of the
// example-app contract and does nothing when users exist, so a restart keeps
// everything. Passwords and client secrets are stored as argon2id hashes,
// API keys as SHA-256 digests, and the HTTP Digest scheme's HA1 values for
// both of its algorithms.
//
// # OAuth2
//
// A [Store] implements the oauth2server package's UserStore, ClientStore,
// CodeStore and RefreshStore. Codes and refresh tokens are kept under the
// digests the server hands over; taking a code and using a refresh token
// are single atomic statements or transactions.
//
// # Keys
//
// [Store.PutKeyIfAbsent] and [Store.Key] keep the app's signing keys as
// opaque bytes, so a restart signs and verifies with the same keys.
package store
