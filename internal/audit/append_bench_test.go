package audit_test

import (
	"context"
	"os"
	"testing"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// BenchmarkAppendReadEvent appends one read event naming 130 records (a
// dashboard page's documents and risk assessments) per transaction.
func BenchmarkAppendReadEvent(b *testing.B) {
	url := os.Getenv("RDRR_BENCH_DB")
	if url == "" {
		url = testenv.SQLiteURL(b)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx, nil); err != nil {
		b.Fatal(err)
	}
	recs := make([]audit.Record, 130)
	for i := range recs {
		recs[i] = audit.Record{ID: gid.New("doc"), Type: "Document", Returnee: gid.New("ret"), Category: domain.CategoryLegal, Level: domain.LevelSummary}
	}
	ev := audit.Event{Kind: auditevent.KindREAD, Decision: auditevent.DecisionALLOW, UserID: gid.New("usr"), Records: recs}
	chain := audit.Chain{Dialect: st.Dialect}
	sys := viewer.SystemContext(ctx)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tx, err := st.Client.Tx(sys)
		if err != nil {
			b.Fatal(err)
		}
		if err := chain.Append(sys, tx, []audit.Event{ev}); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}
