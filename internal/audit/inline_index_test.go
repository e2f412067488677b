package audit_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/ent/auditindex"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestEventsAreIndexedWithTheirAppend writes events through the writer
// (one statement on PostgreSQL, a transaction on SQLite) and through a
// transaction's Append, and checks, without running the indexer, that
// their case index rows are there and the watermark is at the head; then
// that the trail, index included, verifies.
func TestEventsAreIndexedWithTheirAppend(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		ctx := context.Background()
		sys := viewer.SystemContext(ctx)
		st := chainOf(t, s.URL, 1) // one event, indexed by the indexer: the index is complete
		chain := audit.Chain{Dialect: st.Dialect}
		w := audit.NewWriter(st.Client, chain, slog.New(slog.NewTextHandler(io.Discard, nil)))
		defer w.Close()
		event := func() audit.Event {
			return audit.Event{
				Kind: auditevent.KindREAD, Decision: auditevent.DecisionALLOW, UserID: gid.New("usr"), Purpose: "care",
				Records: []audit.Record{
					{ID: gid.New("doc"), Type: "Document", Returnee: gid.New("ret"), Category: domain.CategoryLegal, Level: domain.LevelSummary},
					{ID: gid.New("rsk"), Type: "RiskAssessment", Returnee: gid.New("ret"), Category: domain.CategoryRisk, Level: domain.LevelSummary},
				},
			}
		}
		for i := 0; i < 3; i++ { // the first takes the lock (the writer does not know the head yet), the others one statement
			if err := w.Record(ctx, event()); err != nil {
				t.Fatal(err)
			}
		}
		tx, err := st.Client.Tx(sys)
		if err != nil {
			t.Fatal(err)
		}
		if err := chain.Append(ctx, tx, []audit.Event{event()}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}

		rows, err := st.Client.AuditSubject.Query().Count(sys)
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 + 4*2; rows != want {
			t.Errorf("%d index rows, want %d (each event names two cases)", rows, want)
		}
		wm, err := st.Client.AuditIndex.Query().Where(auditindex.ID(1)).Only(sys)
		if err != nil {
			t.Fatal(err)
		}
		if wm.IndexedSeq != 5 {
			t.Errorf("watermark at %d, want 5 (the head)", wm.IndexedSeq)
		}
		rep, err := audit.Verify(ctx, st.Client)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Events != 5 {
			t.Fatalf("trail: %s", rep)
		}
	})
}
