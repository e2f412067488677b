package store_test

import (
	"context"
	"testing"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/revision"
	"github.com/rdrr-project/rdrr/ent/webhook"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv/testdb"
)

// TestCustomPlansAreNotPrepared runs statements several times each on a
// single connection, one on the table named by WithCustomPlans, one on the
// same table without it, and one on another table under it, and then asks
// PostgreSQL which statements that connection has prepared: all but the
// first (a prepared statement is what PostgreSQL switches to a generic
// plan; the eager loads under a case list keep theirs). On SQLite the
// marker must change nothing but still answer correctly.
func TestCustomPlansAreNotPrepared(t *testing.T) {
	testdb.EachStore(t, func(t *testing.T, s testdb.Store) {
		ctx := context.Background()
		st := openMigrated(t, s.URL, store.Options{MaxOpenConns: 1})
		sys := viewer.SystemContext(ctx)
		if err := st.Client.Revision.Create().SetID("plans-test").SetValue(42).Exec(sys); err != nil {
			t.Fatal(err)
		}
		for range 7 {
			n, err := st.Client.Revision.Query().Where(revision.ValueEQ(42)).Count(store.WithCustomPlans(sys, revision.Table))
			if err != nil || n != 1 {
				t.Fatalf("count under custom plans: %d, %v; want 1", n, err)
			}
			n, err = st.Client.Revision.Query().Where(revision.ValueGT(41)).Count(sys)
			if err != nil || n != 1 {
				t.Fatalf("count with a prepared plan: %d, %v; want 1", n, err)
			}
			if _, err := st.Client.Webhook.Query().Where(webhook.URLEQ("https://plans.test")).Count(store.WithCustomPlans(sys, revision.Table)); err != nil {
				t.Fatalf("count of another table under custom plans: %v", err)
			}
		}
		if s.Name != "postgres" {
			return
		}
		prepared := func(like string) int {
			t.Helper()
			var n int
			err := st.DB.QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE $1`, like).Scan(&n)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := prepared(`%"value" = $1%`); n != 0 {
			t.Errorf("the statement run under WithCustomPlans is prepared (%d): PostgreSQL may give it a generic plan", n)
		}
		if n := prepared(`%FROM "webhooks"%`); n != 1 {
			t.Errorf("a statement of another table than WithCustomPlans names is prepared %d times, want 1", n)
		}
		if n := prepared(`%"value" > $1%`); n != 1 {
			t.Errorf("the statement run without WithCustomPlans is prepared %d times, want 1 (is the check looking at the right connection?)", n)
		}
	})
}
