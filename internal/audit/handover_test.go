package audit

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv/testdb"
)

// TestWriterHandsEveryAppendsRowsToTheIndexer: the writer's first append
// takes the lock (it does not know the chain's end yet), the next ones are
// one statement on PostgreSQL; none writes index rows, and after each the
// events' case index rows are in the indexer's backlog, so the indexer
// need not read the events back.
// (The one-statement append used to hand nothing over.) An event appended
// meanwhile by someone else (a transaction here, another process in
// production) is not in the backlog: one round of the indexer takes it from
// the database and the others from the backlog, and, having taken fewer
// than a batch, asks for no other round.
func TestWriterHandsEveryAppendsRowsToTheIndexer(t *testing.T) {
	testdb.EachStore(t, func(t *testing.T, s testdb.Store) {
		ctx := context.Background()
		st, err := store.Open(ctx, s.URL, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		chain := Chain{Dialect: st.Dialect}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		w := NewWriter(st.Client, chain, log)
		defer w.Close()
		ix := NewIndexer(st.Client, chain, log, time.Hour) // not poked: runs only when closed
		defer ix.Close()
		w.FeedIndexer(ix)
		event := func() Event {
			return Event{Kind: auditevent.KindREAD, Decision: auditevent.DecisionALLOW, UserID: gid.New("usr"), Records: []Record{
				{ID: gid.New("doc"), Type: "Document", Returnee: gid.New("ret"), Category: domain.CategoryLegal, Level: domain.LevelSummary},
				{ID: gid.New("rsk"), Type: "RiskAssessment", Returnee: gid.New("ret"), Category: domain.CategoryRisk, Level: domain.LevelSummary},
			}}
		}
		sys := viewer.SystemContext(ctx)
		record := func(seq int64) {
			t.Helper()
			if err := w.Record(ctx, event()); err != nil {
				t.Fatal(err)
			}
			ix.backlog.mu.Lock()
			held := len(ix.backlog.cases[seq])
			ix.backlog.mu.Unlock()
			if held != 2 {
				t.Fatalf("after event %d: the backlog holds %d cases of it, want 2", seq, held)
			}
		}
		for seq := int64(1); seq <= 3; seq++ {
			record(seq)
		}
		tx, err := st.Client.Tx(sys)
		if err != nil {
			t.Fatal(err)
		}
		if err := chain.Append(ctx, tx, []Event{event()}); err != nil { // event 4, not handed over
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		record(5) // the writer finds the chain moved on and takes the lock
		// No append wrote index rows.
		if rows, err := st.Client.AuditSubject.Query().Count(sys); err != nil || rows != 0 {
			t.Fatalf("index rows before the indexer: %d (%v), want none", rows, err)
		}
		n, more, err := chain.indexOnce(sys, st.Client, &ix.backlog)
		if err != nil {
			t.Fatal(err)
		}
		if n != 5 || more {
			t.Errorf("a round indexed %d events and asked for another: %v; want 5 and false", n, more)
		}
		if rows, err := st.Client.AuditSubject.Query().Count(sys); err != nil || rows != 10 {
			t.Errorf("postings: %d (%v), want 10 (each event names two cases of its own)", rows, err)
		}
		if rep, err := Verify(ctx, st.Client); err != nil || !rep.OK() || rep.Events != 5 {
			t.Errorf("trail: %v (%v), want 5 events, intact", rep, err)
		}
	})
}
