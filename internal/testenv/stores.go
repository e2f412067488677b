// Package testenv starts real rdrr servers on real databases for tests:
// SQLite always, and PostgreSQL too when RDRR_TEST_DATABASE_URL is set.
package testenv

import (
	"testing"

	"github.com/rdrr-project/rdrr/internal/testenv/testdb"
)

// The database helpers live in testdb (which packages below the server can
// import without a cycle); these names keep the tests that use testenv short.

// PostgresEnv names the variable holding a PostgreSQL server URL for tests.
const PostgresEnv = testdb.PostgresEnv

// Store is one database to run a test against.
type Store = testdb.Store

// EachStore runs fn once per available store, each with a fresh database.
func EachStore(t *testing.T, fn func(t *testing.T, s Store)) { t.Helper(); testdb.EachStore(t, fn) }

// SQLiteURL returns the URL of a new SQLite database file.
func SQLiteURL(t testing.TB) string { t.Helper(); return testdb.SQLiteURL(t) }

// PostgresURL creates a fresh PostgreSQL database for the test.
func PostgresURL(t testing.TB) string { t.Helper(); return testdb.PostgresURL(t) }

// IsPostgres reports whether url names a PostgreSQL database.
func IsPostgres(url string) bool { return testdb.IsPostgres(url) }
