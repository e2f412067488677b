package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// chainOf writes n events to a fresh database, each naming a case of its
// own and one case all of them name, indexes them (n postings of one event
// and one of all n) and returns the store.
func chainOf(t *testing.T, url string, n int) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	chain := audit.Chain{Dialect: st.Dialect}
	shared := gid.New("ret")
	for i := 0; i < n; i++ {
		tx, err := st.Client.Tx(viewer.SystemContext(ctx))
		if err != nil {
			t.Fatal(err)
		}
		ev := audit.Event{
			Kind: auditevent.KindREAD, Decision: auditevent.DecisionALLOW, UserID: gid.New("usr"), Purpose: "care",
			Records: []audit.Record{
				{ID: gid.New("med"), Type: "MedicalRecord", Returnee: gid.New("ret"), Category: domain.CategoryMedical, Level: domain.LevelDetail},
				{ID: gid.New("rsk"), Type: "RiskAssessment", Returnee: shared, Category: domain.CategoryRisk, Level: domain.LevelSummary},
			},
			Message: fmt.Sprintf("event %d", i+1),
		}
		if err := chain.Append(ctx, tx, []audit.Event{ev}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chain.Index(ctx, st.Client); err != nil {
		t.Fatal(err)
	}
	return st
}

func exec(t *testing.T, st *store.Store, q string) error {
	t.Helper()
	_, err := st.DB.ExecContext(context.Background(), q)
	return err
}

// unlock removes the append-only triggers, as an attacker with database
// access could, so the test can tamper with rows.
func unlock(t *testing.T, st *store.Store) {
	t.Helper()
	var stmts []string
	if st.Dialect == dialect.Postgres {
		stmts = []string{"ALTER TABLE audit_events DISABLE TRIGGER USER", "ALTER TABLE audit_subjects DISABLE TRIGGER USER"}
	} else {
		for _, tr := range []string{"audit_events_no_update", "audit_events_no_delete", "audit_subjects_no_update", "audit_subjects_no_delete"} {
			stmts = append(stmts, "DROP TRIGGER "+tr)
		}
	}
	for _, s := range stmts {
		if err := exec(t, st, s); err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, st *store.Store) audit.Report {
	t.Helper()
	rep, err := audit.Verify(context.Background(), st.Client)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestTheTrailIsAppendOnly(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		st := chainOf(t, s.URL, 3)
		for _, q := range []string{
			"UPDATE audit_events SET message = 'nothing happened' WHERE seq = 2",
			"DELETE FROM audit_events WHERE seq = 3",
			"UPDATE audit_subjects SET seqs = '[]'",
			"DELETE FROM audit_subjects",
		} {
			if err := exec(t, st, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want the append-only trigger to refuse", q, err)
			}
		}
		if rep := verify(t, st); !rep.OK() || rep.Events != 3 {
			t.Errorf("%s", rep)
		}
	})
}

func TestVerifyFindsTheFirstBrokenLink(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		cases := []struct {
			name   string
			tamper []string
			at     int64
		}{
			{"edited content", []string{"UPDATE audit_events SET message = 'nothing happened' WHERE seq = 5"}, 5},
			{"edited and rehashed by someone without the chain", []string{"UPDATE audit_events SET purpose = 'x', hash = prev_hash WHERE seq = 4"}, 4},
			{"deleted event", []string{"DELETE FROM audit_subjects WHERE first_seq = 4 AND last_seq = 4", "DELETE FROM audit_events WHERE seq = 4"}, 4},
			{"reordered events", []string{
				"UPDATE audit_events SET seq = -6 WHERE seq = 6", "UPDATE audit_events SET seq = 6 WHERE seq = 7", "UPDATE audit_events SET seq = 7 WHERE seq = -6"}, 6},
			{"deleted newest events", []string{"DELETE FROM audit_subjects WHERE first_seq >= 9", "DELETE FROM audit_events WHERE seq >= 9"}, 9},
			{"deleted posting", []string{"DELETE FROM audit_subjects WHERE first_seq = 3 AND last_seq = 3"}, 3},
			{"event taken off a posting", []string{"UPDATE audit_subjects SET seqs = '[1,2,3,4,5,7,8,9,10]' WHERE last_seq = 10 AND first_seq = 1"}, 6},
			{"event added to another case's posting", []string{"UPDATE audit_subjects SET seqs = '[7,8]', last_seq = 8 WHERE first_seq = 7 AND last_seq = 7"}, 8},
			{"posting listing an event twice", []string{"UPDATE audit_subjects SET seqs = '[1,2,2,3,4,5,6,7,8,9,10]' WHERE last_seq = 10 AND first_seq = 1"}, 1},
			{"posting for a case no event names", []string{"INSERT INTO audit_subjects (returnee_id, first_seq, last_seq, seqs) VALUES ('ret_0000000000000000000000000', 5, 5, '[5]')"}, 5},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				url := s.URL
				if s.Name == "sqlite" {
					url = testenv.SQLiteURL(t)
				} else {
					url = testenv.PostgresURL(t)
				}
				st := chainOf(t, url, 10)
				if rep := verify(t, st); !rep.OK() {
					t.Fatalf("before tampering: %s", rep)
				}
				unlock(t, st)
				for _, q := range c.tamper {
					if err := exec(t, st, q); err != nil {
						t.Fatal(err)
					}
				}
				rep := verify(t, st)
				if rep.OK() || rep.BrokenAt != c.at {
					t.Errorf("got %q, want the chain broken at event %d", rep, c.at)
				}
			})
		}
	})
}
