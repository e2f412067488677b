package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"time"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
)

// The committed versioned migrations, one directory per dialect, in Atlas
// format with an atlas.sum integrity file. Both directories are generated
// from the same ent schema and carry the same versions
// (go run ./internal/store/migrationgen -name NAME).
//
//go:embed migrations/sqlite/*.sql migrations/sqlite/atlas.sum migrations/postgres/*.sql migrations/postgres/atlas.sum
var migrationFiles embed.FS

// ErrPendingMigrations is returned by CheckMigrated when the database is
// behind the binary.
var ErrPendingMigrations = errors.New("database schema is behind: run `rdrr migrate`")

// Migration is one applied or pending migration.
type Migration struct {
	Version     string
	Description string
	Applied     bool
}

const revisionsTable = "rdrr_schema_migrations"

func (s *Store) dir() (*migrate.MemDir, error) {
	sub := "migrations/sqlite"
	if s.Dialect == dialect.Postgres {
		sub = "migrations/postgres"
	}
	files, err := fs.ReadDir(migrationFiles, sub)
	if err != nil {
		return nil, fmt.Errorf("reading embedded migrations: %w", err)
	}
	dir := &migrate.MemDir{}
	for _, f := range files {
		b, err := migrationFiles.ReadFile(path.Join(sub, f.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", f.Name(), err)
		}
		if err := dir.WriteFile(f.Name(), b); err != nil {
			return nil, err
		}
	}
	// A hand-edited migration no longer matches atlas.sum: refuse it.
	if err := migrate.Validate(dir); err != nil {
		return nil, fmt.Errorf("migration files do not match atlas.sum: %w", err)
	}
	return dir, nil
}

// Migrations lists the migrations the binary carries and whether each is
// applied.
func (s *Store) Migrations(ctx context.Context) ([]Migration, error) {
	dir, err := s.dir()
	if err != nil {
		return nil, err
	}
	if err := s.ensureRevisions(ctx); err != nil {
		return nil, err
	}
	applied, err := s.applied(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	files, err := dir.Files()
	if err != nil {
		return nil, err
	}
	out := make([]Migration, 0, len(files))
	for _, f := range files {
		_, ok := applied[f.Version()]
		out = append(out, Migration{Version: f.Version(), Description: f.Desc(), Applied: ok})
	}
	return out, nil
}

// CheckMigrated returns ErrPendingMigrations when a migration is not applied.
func (s *Store) CheckMigrated(ctx context.Context) error {
	ms, err := s.Migrations(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if !m.Applied {
			return fmt.Errorf("%w (first pending: %s_%s)", ErrPendingMigrations, m.Version, m.Description)
		}
	}
	return nil
}

// Migrate applies every pending migration in order, each in its own
// transaction, and logs each one. Several processes may call it at once: on
// PostgreSQL an advisory lock serialises them, on SQLite the write lock does;
// each re-checks what is applied after taking the lock.
func (s *Store) Migrate(ctx context.Context, log *slog.Logger) error {
	dir, err := s.dir()
	if err != nil {
		return err
	}
	if err := s.ensureRevisions(ctx); err != nil {
		return err
	}
	files, err := dir.Files()
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := s.apply(ctx, f, log); err != nil {
			return fmt.Errorf("applying migration %s: %w", f.Name(), err)
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, f migrate.File, log *slog.Logger) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	if s.Dialect == dialect.Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock("+migrationLock+")"); err != nil {
			return fmt.Errorf("taking migration lock: %w", err)
		}
	}
	applied, err := s.applied(ctx, tx)
	if err != nil {
		return err
	}
	if _, ok := applied[f.Version()]; ok {
		return nil
	}
	stmts, err := f.Stmts()
	if err != nil {
		return fmt.Errorf("parsing: %w", err)
	}
	start := time.Now()
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("statement %q: %w", firstLine(st), err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.rebind("INSERT INTO "+revisionsTable+" (version, description, applied_at) VALUES (?, ?, ?)"),
		f.Version(), f.Desc(), time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if log != nil {
		log.Info("applied migration", "version", f.Version(), "name", f.Desc(), "statements", len(stmts), "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// ensureRevisions creates the table of applied migrations. Concurrent
// CREATE TABLE IF NOT EXISTS races on PostgreSQL, so it runs under the
// migration lock.
func (s *Store) ensureRevisions(ctx context.Context) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	if s.Dialect == dialect.Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock("+migrationLock+")"); err != nil {
			return fmt.Errorf("taking migration lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+revisionsTable+
		" (version VARCHAR(64) PRIMARY KEY, description VARCHAR(255) NOT NULL, applied_at VARCHAR(64) NOT NULL)"); err != nil {
		return fmt.Errorf("creating %s: %w", revisionsTable, err)
	}
	return tx.Commit()
}

// migrationLock is the PostgreSQL advisory lock key of migrations.
const migrationLock = "7426117"

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) applied(ctx context.Context, q querier) (map[string]struct{}, error) {
	rows, err := q.QueryContext(ctx, "SELECT version FROM "+revisionsTable)
	if err != nil {
		return nil, fmt.Errorf("reading applied migrations: %w", err)
	}
	defer rows.Close()
	out := map[string]struct{}{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = struct{}{}
	}
	return out, rows.Err()
}

// rebind turns ? placeholders into $n for PostgreSQL.
func (s *Store) rebind(q string) string {
	if s.Dialect != dialect.Postgres {
		return q
	}
	out := make([]byte, 0, len(q)+8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' || i > 80 {
			return s[:i]
		}
	}
	return s
}
