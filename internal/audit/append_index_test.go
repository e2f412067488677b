package audit_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/ent/auditindex"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestEventsAreIndexedByTheIndexer writes events through the writer (one
// statement on PostgreSQL, a transaction on SQLite) and through a
// transaction's Append. Their case index rows are left to the indexer, on
// both stores: the watermark stays behind until it runs, from the rows the
// writer handed it or, for the transaction's event, from the event read
// back. The trail, index included, then verifies.
func TestEventsAreIndexedByTheIndexer(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		ctx := context.Background()
		sys := viewer.SystemContext(ctx)
		st := chainOf(t, s.URL, 1) // one event, indexed by the indexer: the index is complete
		chain := audit.Chain{Dialect: st.Dialect}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		w := audit.NewWriter(st.Client, chain, log)
		defer w.Close()
		ix := audit.NewIndexer(st.Client, chain, log, time.Hour) // runs only when closed
		w.FeedIndexer(ix)
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

		index := func() (rows int, watermark int64) {
			t.Helper()
			rows, err := st.Client.AuditSubject.Query().Count(sys)
			if err != nil {
				t.Fatal(err)
			}
			wm, err := st.Client.AuditIndex.Query().Where(auditindex.ID(1)).Only(sys)
			if err != nil {
				t.Fatal(err)
			}
			return rows, wm.IndexedSeq
		}
		const all, head = 1 + 4*2, 5 // each event names two cases
		if rows, wm := index(); rows != 1 || wm != 1 {
			t.Errorf("before the indexer: %d index rows, watermark %d; want 1 and 1 (left to the indexer)", rows, wm)
		}
		ix.Close() // a last run
		if rows, wm := index(); rows != all || wm != head {
			t.Errorf("after the indexer: %d index rows, watermark %d; want %d and %d", rows, wm, all, head)
		}
		rep, err := audit.Verify(ctx, st.Client)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Events != head {
			t.Fatalf("trail: %s", rep)
		}
	})
}
