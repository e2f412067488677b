package audit_test

import (
	"context"
	"io"
	"log/slog"
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

// TestManyRecordsAreStoredOnceAndReadWhole: three reads of the same 40
// records (a dashboard refreshed) store them once, in a record set named
// by digest; every event reads back with its records, the trail verifies,
// and an edited set breaks the chain at the first event naming it.
func TestManyRecordsAreStoredOnceAndReadWhole(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		ctx := context.Background()
		sys := viewer.SystemContext(ctx)
		url := testenv.SQLiteURL(t)
		if s.Name != "sqlite" {
			url = testenv.PostgresURL(t)
		}
		st, err := store.Open(ctx, url, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		var page []audit.Record
		for i := 0; i < 40; i++ {
			page = append(page, audit.Record{ID: gid.New("doc"), Type: "Document", Returnee: gid.New("ret"), Category: domain.CategoryLegal, Level: domain.LevelSummary})
		}
		w := audit.NewWriter(st.Client, audit.Chain{Dialect: st.Dialect}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		small := audit.Event{Kind: auditevent.KindDENIED, Decision: auditevent.DecisionDENY, Records: page[:1]}
		for i := 0; i < 3; i++ {
			// The first takes the lock (the writer does not know the chain's
			// end), the next ones are one statement on PostgreSQL.
			if err := w.Record(ctx, audit.Event{Kind: auditevent.KindREAD, Decision: auditevent.DecisionALLOW, Records: page}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Record(ctx, small); err != nil {
			t.Fatal(err)
		}
		w.Close()
		if n, err := st.Client.AuditRecordSet.Query().Count(sys); err != nil || n != 1 {
			t.Fatalf("record sets: %d (%v), want 1", n, err)
		}
		evs, err := st.Client.AuditEvent.Query().Order(auditevent.BySeq()).All(sys)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 4 {
			t.Fatalf("%d events, want 4", len(evs))
		}
		for i, e := range evs {
			want := page
			if i == 3 {
				want = page[:1]
			}
			if len(e.Records) != len(want) || e.Records[len(want)-1].ID != want[len(want)-1].ID {
				t.Errorf("event %d: %d records, want %d", e.Seq, len(e.Records), len(want))
			}
			if (e.RecordsDigest != "") != (i < 3) {
				t.Errorf("event %d: digest %q; want one only for the events of many records", e.Seq, e.RecordsDigest)
			}
		}
		if rep, err := audit.Verify(ctx, st.Client); err != nil || !rep.OK() || rep.Events != 4 {
			t.Fatalf("trail: %v (%v), want 4 events, intact", rep, err)
		}
		unlockSets := "DROP TRIGGER audit_record_sets_no_update"
		if st.Dialect == dialect.Postgres {
			unlockSets = "ALTER TABLE audit_record_sets DISABLE TRIGGER USER"
		}
		if err := exec(t, st, "UPDATE audit_record_sets SET records = '[]'"); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("editing a record set: %v, want the append-only trigger to refuse", err)
		}
		if err := exec(t, st, unlockSets); err != nil {
			t.Fatal(err)
		}
		if err := exec(t, st, "UPDATE audit_record_sets SET records = '[]'"); err != nil {
			t.Fatal(err)
		}
		if rep := verify(t, st); rep.OK() || rep.BrokenAt != 1 {
			t.Errorf("after editing the record set: %s, want the chain broken at event 1", rep)
		}
	})
}
