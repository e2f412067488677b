// Package testdb gives tests their databases: a fresh SQLite file, and a fresh
// PostgreSQL database when RDRR_TEST_DATABASE_URL is set. It imports nothing
// of rdrr, so every package, even one the server depends on, can use it.
package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for the admin connection
)

// PostgresEnv names the variable holding a PostgreSQL server URL for tests.
const PostgresEnv = "RDRR_TEST_DATABASE_URL"

// Store is one database to run a test against.
type Store struct {
	Name string // "sqlite" or "postgres"
	URL  string
}

// EachStore runs fn as a subtest once per available store, each with a
// fresh, empty database.
func EachStore(t *testing.T, fn func(t *testing.T, s Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, Store{"sqlite", SQLiteURL(t)}) })
	if os.Getenv(PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Store{"postgres", PostgresURL(t)}) })
	}
}

// SQLiteURL returns the URL of a new SQLite database file in a temporary
// directory.
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "rdrr.db")
}

var dbSeq atomic.Int64

// PostgresURL creates a fresh database on the server named by
// RDRR_TEST_DATABASE_URL and drops it when the test ends. It fails the
// test when the variable is not set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Fatalf("%s is not set", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("connecting to PostgreSQL: %v", err)
	}
	name := fmt.Sprintf("rdrr_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, dbSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("dropping test database %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parsing %s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// IsPostgres reports whether url names a PostgreSQL database.
func IsPostgres(url string) bool { return strings.HasPrefix(url, "postgres") }
