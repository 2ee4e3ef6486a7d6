package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// busyTimeoutMillis is how long a connection waits for a lock held by
// another connection before it gives up.
const busyTimeoutMillis = 10000

// Store is the example-app database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
}

// Open opens (creating it when needed) the SQLite database at location, a
// plain file path or a "file:" URI, and migrates it.
func Open(ctx context.Context, location string) (*Store, error) {
	dsn, err := DSN(location)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", location, err)
	}
	// SQLite serialises writers; a small pool keeps lock waits short.
	db.SetMaxOpenConns(8)
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		_ = db.Close() // the migration error is the one to report
		return nil, err
	}
	return s, nil
}

// DSN turns a plain path or a "file:" URI into a modernc.org/sqlite data
// source name with the pragmas every connection needs: WAL journaling, a
// busy timeout, foreign keys, and immediate transactions, which take the
// write lock at BEGIN so that concurrent writers wait instead of failing.
func DSN(location string) (string, error) {
	if strings.TrimSpace(location) == "" {
		return "", fmt.Errorf("%w: the location is empty (set DATABASE_URL to a file path)", ErrBadDSN)
	}
	dsn := location
	if !strings.HasPrefix(location, "file:") {
		if strings.ContainsAny(location, "?#") {
			return "", fmt.Errorf("%w: %q: a plain path cannot contain '?' or '#'; use a file: URI", ErrBadDSN, location)
		}
		dsn = "file:" + location
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "_pragma=journal_mode(WAL)" +
		"&_pragma=busy_timeout(" + strconv.Itoa(busyTimeoutMillis) + ")" +
		"&_pragma=foreign_keys(1)" +
		"&_txlock=immediate", nil
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// DB returns the underlying database, for tests and tools.
func (s *Store) DB() *sql.DB { return s.db }

// migration is one embedded migration file.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded migrations, sorted by the number that
// starts their file names.
func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("%w: reading embedded migrations: %w", ErrMigration, err)
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("%w: migration %s does not start with a positive version number", ErrMigration, e.Name())
		}
		body, err := migrations.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("%w: reading %s: %w", ErrMigration, e.Name(), err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("%w: migrations %s and %s share version %d", ErrMigration, out[i-1].name, out[i].name, out[i].version)
		}
	}
	return out, nil
}

// migrate applies the migrations newer than the recorded schema version,
// all in one transaction.
func (s *Store) migrate(ctx context.Context) (err error) {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%w: begin: %w", ErrMigration, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // the migration error is the one to report
		}
	}()
	if _, err = tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("%w: schema_version: %w", ErrMigration, err)
	}
	var current int
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&current)
	if err != nil {
		return fmt.Errorf("%w: reading the schema version: %w", ErrMigration, err)
	}
	latest := 0
	if len(ms) > 0 {
		latest = ms[len(ms)-1].version
	}
	if current > latest {
		return fmt.Errorf("%w: the database has schema version %d, newer than this build's %d", ErrMigration, current, latest)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		if _, err = tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrMigration, m.name, err)
		}
	}
	if latest > current {
		if _, err = tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
			return fmt.Errorf("%w: %w", ErrMigration, err)
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, latest); err != nil {
			return fmt.Errorf("%w: %w", ErrMigration, err)
		}
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("%w: commit: %w", ErrMigration, err)
	}
	return nil
}

// SchemaVersion returns the recorded schema version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

// joinList stores a list as one space-separated column.
func joinList(l []string) string { return strings.Join(l, " ") }

// splitList reads a space-separated column; an empty one is an empty,
// non-nil list.
func splitList(s string) []string {
	f := strings.Fields(s)
	if f == nil {
		return []string{}
	}
	return f
}

// noRows reports whether err is sql.ErrNoRows.
func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
