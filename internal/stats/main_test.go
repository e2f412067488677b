package stats

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv/testdb"
)

// Tests that only read share one seeded demo world per store, created on
// first use and removed when the package's tests end.

var (
	shared   = map[string]*demoWorld{}
	sharedMu sync.Mutex
	cleanups []func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}

// storeNames lists the stores to test: SQLite always, PostgreSQL when
// RDRR_TEST_DATABASE_URL is set.
func storeNames() []string {
	if os.Getenv(testdb.PostgresEnv) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// eachStore runs fn once per store as a subtest.
func eachStore(t *testing.T, fn func(t *testing.T, name string)) {
	for _, name := range storeNames() {
		t.Run(name, func(t *testing.T) { fn(t, name) })
	}
}

// demoWorld is the demo seed of demoReturnees returnees plus a few
// targeted cases: excludedCountry holds only excluded returnees,
// smallCountry a handful of counted ones.
type demoWorld struct {
	st     *store.Store
	oracle *oracle
}

const (
	demoReturnees   = 3000
	excludedCountry = "TJ" // excludedCount returnees, all excluded from statistics
	excludedCount   = 30
	smallCountry    = "TM" // 3 returnees
)

func demo(t *testing.T, name string) *demoWorld {
	t.Helper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if w := shared[name]; w != nil {
		return w
	}
	u, drop, err := sharedURL(name)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, u, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cleanups = append(cleanups, func() { st.Close(); drop() })
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	seedDemo(t, st, demoReturnees)
	w := newWorld(t, st)
	r := newRand(7)
	var extra []person
	for i := range excludedCount + 3 {
		p := person{
			sex: "MALE", country: excludedCountry, category: "ADULT_MAN", phase: "REHABILITATION",
			custody: "PRISON", birth: bornAged(30 + i%10), returned: date(2020, 3, 1), key: r.IntN(256), excluded: true,
		}
		if i >= excludedCount {
			p.country, p.excluded = smallCountry, false
		}
		extra = append(extra, p)
	}
	w.add(t, extra)
	dw := &demoWorld{st: st, oracle: loadOracle(t, st.DB, testAsOf)}
	shared[name] = dw
	return dw
}

// sharedURL creates a database that outlives a single test.
func sharedURL(name string) (string, func(), error) {
	if name == "sqlite" {
		dir, err := os.MkdirTemp("", "rdrr-stats-test")
		if err != nil {
			return "", nil, err
		}
		return "sqlite:" + filepath.Join(dir, "rdrr.db"), func() { os.RemoveAll(dir) }, nil
	}
	base := os.Getenv(testdb.PostgresEnv)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	db := fmt.Sprintf("rdrr_stats_test_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
	if _, err := admin.Exec("CREATE DATABASE " + db); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + db
	return u.String(), func() {
		admin.Exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)") //nolint:errcheck // best effort
		admin.Close()
	}, nil
}

// freshStore opens an empty, migrated database of the named store for one
// test.
func freshStore(t *testing.T, name string) *store.Store {
	t.Helper()
	if name == "sqlite" {
		return openStore(t, testdb.SQLiteURL(t))
	}
	return openStore(t, testdb.PostgresURL(t))
}
