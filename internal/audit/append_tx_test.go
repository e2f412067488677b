package audit_test

import (
	"context"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestAppendAfterAnotherTransactionsAppend starts a second in-transaction
// append (a mutation's) while a first holds the chain head uncommitted:
// the second waits for the first (on PostgreSQL the test waits until
// PostgreSQL shows it waiting for a lock; on SQLite for the first's write
// lock). When the first commits, the second chains after the first's
// event; when the first rolls back, after the head as it was. Either way
// the chain holds every committed event, in order, and verifies.
func TestAppendAfterAnotherTransactionsAppend(t *testing.T) {
	for _, tc := range []struct {
		name         string
		firstCommits bool
	}{
		{"the first commits: the second chains after its event", true},
		{"the first rolls back: the second chains after the head as it was", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
				ctx := viewer.SystemContext(context.Background())
				st := chainOf(t, s.URL, 1)
				chain := audit.Chain{Dialect: st.Dialect}
				event := func(msg string) []audit.Event {
					return []audit.Event{{Kind: auditevent.KindWRITE, Decision: auditevent.DecisionALLOW, UserID: gid.New("usr"), Message: msg}}
				}
				first, err := st.Client.Tx(ctx)
				if err != nil {
					t.Fatal(err)
				}
				// Should the test fail before it ends the first, the
				// second's wait must end before the store closes.
				t.Cleanup(func() { _ = first.Rollback() })
				if err := chain.Append(ctx, first, event("first")); err != nil {
					t.Fatal(err)
				}
				second := make(chan error, 1)
				go func() {
					tx, err := st.Client.Tx(ctx)
					if err == nil {
						if err = chain.Append(ctx, tx, event("second")); err == nil {
							err = tx.Commit()
						} else {
							_ = tx.Rollback()
						}
					}
					second <- err
				}()
				if st.Dialect == dialect.Postgres {
					waitForALockWaiter(t, st)
				}
				if tc.firstCommits {
					err = first.Commit()
				} else {
					err = first.Rollback()
				}
				if err != nil {
					t.Fatal(err)
				}
				if err := <-second; err != nil {
					t.Fatalf("second append: %v", err)
				}
				rep, err := audit.Verify(ctx, st.Client)
				if err != nil {
					t.Fatal(err)
				}
				want := []string{"event 1", "first", "second"}
				if !tc.firstCommits {
					want = []string{"event 1", "second"}
				}
				if !rep.OK() || rep.Events != len(want) {
					t.Fatalf("chain: %s, want %d events", rep, len(want))
				}
				evs, err := st.Client.AuditEvent.Query().Order(ent.Asc(auditevent.FieldSeq)).All(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for i, e := range evs {
					if e.Message != want[i] || e.Seq != int64(i+1) {
						t.Errorf("event %d: seq %d %q, want seq %d %q", i, e.Seq, e.Message, i+1, want[i])
					}
					if i > 0 && e.PrevHash != evs[i-1].Hash {
						t.Errorf("event %d does not chain onto event %d", e.Seq, evs[i-1].Seq)
					}
				}
			})
		})
	}
}

// waitForALockWaiter returns once a backend of st's database waits for a
// lock, failing the test if none does within a minute.
func waitForALockWaiter(t *testing.T, st *store.Store) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var n int
		err := st.DB.QueryRowContext(context.Background(),
			`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the second append never waited for the chain head")
}
