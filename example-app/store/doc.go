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
// example-app contract: the users, the API key, the confidential client
// demo-client and the public client swagger-ui of the Swagger UI page. When
// users exist it keeps everything and only adds swagger-ui if an older seed
// did not create it; migration 2 narrows an older seed's demo-client back
// to the scope items and the client credentials grant. Passwords and client secrets are stored as argon2id hashes,
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
