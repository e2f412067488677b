package audit_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestWriterKeepsOneChainWithOtherAppenders records events through two
// writers (two processes, as far as the chain is concerned) while
// transactions append under the lock. Each writer writes in one statement
// (PostgreSQL) or moves the head without reading it first (SQLite) when the
// chain still ends where it left it, and reads the head under the lock
// when another appender moved it: no event is lost or doubled, every event
// is stored as hashed, and the chain verifies.
func TestWriterKeepsOneChainWithOtherAppenders(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		ctx := context.Background()
		st := chainOf(t, s.URL, 0)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		chain := audit.Chain{Dialect: st.Dialect}
		second, err := store.Open(ctx, s.URL, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { second.Close() })
		writers := []*audit.Writer{audit.NewWriter(st.Client, chain, log), audit.NewWriter(second.Client, chain, log)}
		defer func() {
			for _, w := range writers {
				w.Close()
			}
		}()
		event := func(i int) audit.Event {
			ev := audit.Event{
				Kind: auditevent.KindREAD, Decision: auditevent.DecisionALLOW, UserID: gid.New("usr"), OrgID: gid.New("org"),
				Roles: []domain.Role{domain.RoleCaseManager}, Operation: "query Case {node}", Purpose: "care", RequestID: fmt.Sprint(i),
				Records: []audit.Record{{ID: gid.New("med"), Type: "MedicalRecord", Returnee: gid.New("ret"), Category: domain.CategoryMedical, Level: domain.LevelSummary}},
				Message: fmt.Sprintf("event %d", i),
			}
			if i%3 == 0 { // no user, no records: the empty values must hash as stored
				ev.UserID, ev.OrgID, ev.Roles, ev.Records = "", "", nil, nil
			}
			return ev
		}
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		const perWriter, locked = 40, 10
		for wi, w := range writers {
			for g := 0; g < 4; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := 0; j < perWriter/4; j++ {
						if err := w.Record(ctx, event(1000*wi+100*g+j)); err != nil {
							errs <- err
						}
					}
				}()
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < locked; j++ {
				tx, err := st.Client.Tx(viewer.SystemContext(ctx))
				if err != nil {
					errs <- err
					return
				}
				if err := chain.Append(ctx, tx, []audit.Event{event(9000 + j)}); err != nil {
					_ = tx.Rollback()
					errs <- err
					return
				}
				if err := tx.Commit(); err != nil {
					errs <- err
				}
			}
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		// And once more after everything settled: this one has the chain
		// to itself.
		if err := writers[0].Record(ctx, event(1)); err != nil {
			t.Fatal(err)
		}
		rep, err := audit.Verify(ctx, st.Client)
		if err != nil {
			t.Fatal(err)
		}
		want := 2*perWriter + locked + 1
		if !rep.OK() || rep.Events != want {
			t.Fatalf("chain: %s, want %d events", rep, want)
		}
		n, err := st.Client.AuditEvent.Query().Where(auditevent.MessageHasPrefix("event ")).Count(viewer.SystemContext(ctx))
		if err != nil || n != want {
			t.Fatalf("%d events stored (%v), want %d", n, err, want)
		}
	})
}
