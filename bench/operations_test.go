package bench

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/bench/load"
	"github.com/rdrr-project/rdrr/bench/workload"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// BenchmarkOperations sends each operation of the suite (bench/workload)
// back to back, one client, to a server in this process, so that
//
//	RDRR_BENCH_DB=postgres://.../copy go test ./bench -run '^$' -bench Operations -cpuprofile cpu.out
//
// shows where rdrr spends its time on each (the suite measures the real
// thing: a separate server process under concurrent clients). The
// mutation mix writes to the database: point RDRR_BENCH_DB at a copy.
func BenchmarkOperations(b *testing.B) {
	url := benchDB(b)
	e := testenv.Start(b, url, func(c *server.Config) { c.PolicyPoll = time.Hour })
	ctx := context.Background()
	fix, err := workload.Load(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	tok := workload.Tokens{
		CaseManager: e.Token(b, "case.manager@gov-kz.example"), Legal: e.Token(b, "legal@gov-kz.example"),
		Clinician: e.Token(b, "psychologist@ngo-kz.example"), Analyst: e.Token(b, "analyst@donor.example"),
	}
	ops, err := workload.Operations(workload.RDRR, "queries", fix, tok)
	if err != nil {
		b.Fatal(err)
	}
	c := &http.Client{Timeout: time.Minute}
	for _, op := range ops {
		b.Run(op.Name, func(b *testing.B) {
			if err := load.Send(ctx, c, e.URL+"/graphql", op.Ops[0], 0); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				o := op.Ops[i%len(op.Ops)]
				if err := load.Send(ctx, c, e.URL+"/graphql", o, i); err != nil {
					b.Fatalf("%s: %v", o.Name, err)
				}
			}
		})
	}
}
