// Package bench holds rdrr's benchmarks. They run against a real server on
// loopback and a real database: RDRR_BENCH_DB names a seeded database
// (sqlite:PATH or postgres://...; seed it with `rdrr seed --demo
// --returnees 100000`); without it a 5000-returnee SQLite database is seeded
// in a temporary directory. Figures and commands are in docs/benchmarks.md.
package bench

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/bench/load"
	"github.com/rdrr-project/rdrr/internal/seed"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

var (
	dbOnce sync.Once
	dbURL  string
	dbDir  string
)

// benchDB returns the database to benchmark against.
func benchDB(b *testing.B) string {
	b.Helper()
	dbOnce.Do(func() {
		if u := os.Getenv("RDRR_BENCH_DB"); u != "" {
			dbURL = u
			return
		}
		dir, err := os.MkdirTemp("", "rdrr-bench-*")
		if err != nil {
			b.Fatal(err)
		}
		dbDir = dir
		dbURL = "sqlite:" + filepath.Join(dir, "bench.db")
		ctx := context.Background()
		st, err := store.Open(ctx, dbURL, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		if err := st.Migrate(ctx, nil); err != nil {
			b.Fatal(err)
		}
		az, err := authz.New(ctx, st.Client, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := seed.Demo(ctx, st.Client, az, seed.Options{Returnees: 5000}); err != nil {
			b.Fatal(err)
		}
	})
	return dbURL
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dbDir != "" {
		os.RemoveAll(dbDir)
	}
	os.Exit(code)
}

func readQuery(b *testing.B, name string) string {
	b.Helper()
	q, err := os.ReadFile(filepath.Join("queries", name))
	if err != nil {
		b.Fatal(err)
	}
	return string(q)
}

// BenchmarkPolicyCost measures what authorization costs the partner
// dashboard (50 returnees with four nested edges, as a CASE_MANAGER). Two
// servers share the database: one enforcing the policy, one with policy
// checks switched off (a benchmark-only switch: every request runs as the
// system viewer). Clients alternate between them, so both see the same
// machine state, and the benchmark reports each one's mean latency and the
// relative cost: policy/no-policy - 1.
func BenchmarkPolicyCost(b *testing.B) {
	url := benchDB(b)
	on := testenv.Start(b, url)
	off := testenv.Start(b, url, on.SameKey(), func(c *server.Config) { c.BenchmarkWithoutPolicy = true })
	tok := on.Token(b, "case.manager@gov-kz.example")
	q := readQuery(b, "dashboard.graphql")
	var onNS, offNS, onN, offN atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		client := &load.Client{}
		i := 0
		for pb.Next() {
			env, sum, n := on, &onNS, &onN
			if i%2 == 1 {
				env, sum, n = off, &offNS, &offN
			}
			i++
			start := time.Now()
			if err := client.Post(env.URL+"/graphql", tok, q); err != nil {
				b.Fatal(err)
			}
			sum.Add(int64(time.Since(start)))
			n.Add(1)
		}
	})
	b.StopTimer()
	if onN.Load() == 0 || offN.Load() == 0 {
		return
	}
	onMean := float64(onNS.Load()) / float64(onN.Load())
	offMean := float64(offNS.Load()) / float64(offN.Load())
	b.ReportMetric(onMean/1e6, "ms/policy-on")
	b.ReportMetric(offMean/1e6, "ms/policy-off")
	b.ReportMetric((onMean/offMean-1)*100, "%policy-cost")
}
