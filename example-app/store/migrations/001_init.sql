-- The first schema of example-app: users, OAuth2 clients, API keys, items,
-- signing keys, authorization codes and refresh tokens. Secrets are stored
-- only as hashes or digests.

CREATE TABLE users (
    username          TEXT PRIMARY KEY,
    subject           TEXT NOT NULL UNIQUE,
    email             TEXT NOT NULL,
    full_name         TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    scopes            TEXT NOT NULL DEFAULT '',
    disabled          INTEGER NOT NULL DEFAULT 0,
    digest_ha1_sha256 TEXT NOT NULL DEFAULT '',
    digest_ha1_md5    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE clients (
    id            TEXT PRIMARY KEY,
    secret_hash   TEXT NOT NULL DEFAULT '',
    scopes        TEXT NOT NULL DEFAULT '',
    redirect_uris TEXT NOT NULL DEFAULT '',
    public        INTEGER NOT NULL DEFAULT 0,
    grants        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE api_keys (
    digest TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    owner  TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE
);

CREATE TABLE items (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL UNIQUE,
    owner   TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    public  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE signing_keys (
    name       TEXT PRIMARY KEY,
    kid        TEXT NOT NULL UNIQUE,
    alg        TEXT NOT NULL,
    material   BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE auth_codes (
    digest           TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    subject          TEXT NOT NULL,
    username         TEXT NOT NULL,
    redirect_uri     TEXT NOT NULL,
    challenge        TEXT NOT NULL,
    challenge_method TEXT NOT NULL,
    scopes           TEXT NOT NULL DEFAULT '',
    expires_at       INTEGER NOT NULL
);

CREATE TABLE refresh_tokens (
    id         TEXT PRIMARY KEY,
    family_id  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    username   TEXT NOT NULL,
    client_id  TEXT NOT NULL DEFAULT '',
    scopes     TEXT NOT NULL DEFAULT '',
    expires_at INTEGER NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0,
    revoked    INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
