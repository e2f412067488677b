package store_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"entgo.io/ent/dialect/sql/schema"

	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestMigrationsMatchTheSchema applies the committed migrations to an empty
// database and asks ent what it would still change to reach the schema in
// ent/schema: the answer must be nothing, on both stores. It fails when a
// schema change was made without a migration.
func TestMigrationsMatchTheSchema(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		ctx := context.Background()
		st, err := store.Open(ctx, s.URL, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.CheckMigrated(ctx); err == nil {
			t.Fatal("an empty database reports no pending migrations")
		}
		if err := st.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if err := st.CheckMigrated(ctx); err != nil {
			t.Fatal(err)
		}
		// Applying again is a no-op.
		if err := st.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := st.Client.Schema.WriteTo(ctx, &buf, schema.WithDropColumn(true), schema.WithDropIndex(true)); err != nil {
			t.Fatal(err)
		}
		var pending []string
		for _, line := range strings.Split(buf.String(), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "--") || line == "BEGIN;" || line == "COMMIT;" {
				continue
			}
			pending = append(pending, line)
		}
		if len(pending) > 0 {
			t.Errorf("the ent schema differs from the migrated database; run go run ./internal/store/migrationgen -name <change>:\n%s", strings.Join(pending, "\n"))
		}
	})
}

func TestConcurrentMigrationsApplyOnce(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		ctx := context.Background()
		errs := make(chan error, 3)
		for i := 0; i < 3; i++ {
			go func() {
				st, err := store.Open(ctx, s.URL, store.Options{})
				if err != nil {
					errs <- err
					return
				}
				defer st.Close()
				errs <- st.Migrate(ctx, nil)
			}()
		}
		for i := 0; i < 3; i++ {
			if err := <-errs; err != nil {
				t.Errorf("concurrent migrate: %v", err)
			}
		}
	})
}

// TestBothStoresCarryTheSameMigrations: one migration history, written for
// each dialect, with the same versions in the same order.
func TestBothStoresCarryTheSameMigrations(t *testing.T) {
	names := func(d string) []string {
		entries, err := os.ReadDir("migrations/" + d)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	a, b := names("sqlite"), names("postgres")
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("sqlite has %v, postgres has %v", a, b)
	}
}
