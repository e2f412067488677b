package audit_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestPostingsFindEachCasesEventsAndOnlyThose: events naming overlapping
// cases, indexed in two runs, give one posting per case and run, and a
// case's events found through the index (AboutCase) are exactly the events
// that name it, on both stores.
func TestPostingsFindEachCasesEventsAndOnlyThose(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		ctx := context.Background()
		sys := viewer.SystemContext(ctx)
		st, err := store.Open(ctx, s.URL, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		chain := audit.Chain{Dialect: st.Dialect}
		cases := []gid.ID{gid.New("ret"), gid.New("ret"), gid.New("ret")}
		// Event i (from 1) names cases[0] always, cases[1] when i is even,
		// cases[2] when i is a multiple of 3; event 7 names a record
		// without a case (a user), which no posting lists.
		names := func(i int) []gid.ID {
			out := []gid.ID{cases[0]}
			if i%2 == 0 {
				out = append(out, cases[1])
			}
			if i%3 == 0 {
				out = append(out, cases[2])
			}
			if i == 7 {
				out = nil
			}
			return out
		}
		want := map[gid.ID][]int64{}
		appendEvents := func(from, to int) {
			t.Helper()
			for i := from; i <= to; i++ {
				ev := audit.Event{Kind: auditevent.KindREAD, Decision: auditevent.DecisionALLOW, UserID: gid.New("usr"),
					Records: []audit.Record{{ID: gid.New("usr"), Type: "User", Category: domain.CategoryCore}}}
				for _, c := range names(i) {
					// Two records of the case: the posting still lists the event once.
					ev.Records = append(ev.Records,
						audit.Record{ID: gid.New("doc"), Type: "Document", Returnee: c, Category: domain.CategoryLegal, Level: domain.LevelSummary},
						audit.Record{ID: gid.New("med"), Type: "MedicalRecord", Returnee: c, Category: domain.CategoryMedical, Level: domain.LevelDetail})
					want[c] = append(want[c], int64(i))
				}
				tx, err := st.Client.Tx(sys)
				if err != nil {
					t.Fatal(err)
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
		}
		appendEvents(1, 6)  // first run: postings of all three cases
		appendEvents(7, 10) // second run (7, 8, 9, 10): three more
		if n, err := st.Client.AuditSubject.Query().Count(sys); err != nil || n != 6 {
			t.Errorf("postings: %d (%v), want 6 (three cases, two runs)", n, err)
		}
		for i, c := range cases {
			evs, err := st.Client.AuditEvent.Query().Where(audit.AboutCase(c)).All(sys)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, e := range evs {
				got = append(got, e.Seq)
			}
			slices.Sort(got)
			if !slices.Equal(got, want[c]) {
				t.Errorf("case %d: events %v, want %v", i, got, want[c])
			}
		}
		if evs, err := st.Client.AuditEvent.Query().Where(audit.AboutCase(gid.New("ret"))).All(sys); err != nil || len(evs) != 0 {
			t.Errorf("a case no event names: %d events (%v), want none", len(evs), err)
		}
		if rep, err := audit.Verify(ctx, st.Client); err != nil || !rep.OK() || rep.Events != 10 {
			t.Errorf("trail: %v (%v), want 10 events, intact", rep, err)
		}
	})
}
