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
	"strconv"
	"sync"
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

// BenchmarkPolicyCost measures what authorization costs the throughput of
// the partner dashboard (50 returnees with four nested edges, as a
// CASE_MANAGER). Two servers share the database: one enforcing the policy,
// one with policy checks switched off (a benchmark-only switch: every
// request runs as the system viewer).
func BenchmarkPolicyCost(b *testing.B) {
	compare(b, "policy", func(c *server.Config) { c.BenchmarkWithoutPolicy = true })
}

// BenchmarkAuditCost measures what the audit trail costs the same dashboard:
// every response names its sensitive records (here the documents and risk
// assessments of 50 cases) in an event that is durable before the response
// leaves. The comparison server has auditing switched off (benchmark-only).
func BenchmarkAuditCost(b *testing.B) {
	compare(b, "audit", func(c *server.Config) { c.BenchmarkWithoutAudit = true })
}

// compare measures the dashboard's throughput on a normal server and on one
// changed by without, at 8 concurrent clients, in alternating phases (on,
// off, on, off, ...) so that both see the same machine, and reports each
// one's requests per second and the throughput cost: 1 - on/off. It runs
// once whatever b.N is; use -benchtime 1x. RDRR_BENCH_PHASE sets the length
// of a phase (default 5s), RDRR_BENCH_ROUNDS the number of rounds (3).
func compare(b *testing.B, what string, without func(*server.Config)) {
	url := benchDB(b)
	on := testenv.Start(b, url)
	off := testenv.Start(b, url, on.SameKey(), without)
	tok := on.Token(b, "case.manager@gov-kz.example")
	q := readQuery(b, "dashboard.graphql")
	phase := envDuration("RDRR_BENCH_PHASE", 5*time.Second)
	rounds := envInt("RDRR_BENCH_ROUNDS", 3)
	var reqs [2]int
	var secs [2]float64
	var p50 [2]time.Duration
	b.ResetTimer()
	for r := 0; r < rounds; r++ {
		for i, env := range []*testenv.Env{on, off} {
			res, err := load.Run(context.Background(), load.Config{
				URL: env.URL + "/graphql", Concurrency: 8, Duration: phase, Warmup: time.Second,
				Ops: []load.Op{{Name: what, Query: q, Token: tok, Headers: map[string]string{"X-Purpose-Of-Use": "benchmark"}}},
			})
			if err != nil {
				b.Fatal(err)
			}
			if res.Errors > 0 {
				b.Fatalf("%d errors: %s", res.Errors, res.FirstError)
			}
			reqs[i] += res.Requests
			secs[i] += float64(res.Requests) / res.Throughput
			p50[i] += res.P50 / time.Duration(rounds)
		}
	}
	b.StopTimer()
	onT, offT := float64(reqs[0])/secs[0], float64(reqs[1])/secs[1]
	b.ReportMetric(onT, "req/s-"+what+"-on")
	b.ReportMetric(offT, "req/s-"+what+"-off")
	b.ReportMetric(float64(p50[0].Microseconds())/1000, "p50-ms-"+what+"-on")
	b.ReportMetric(float64(p50[1].Microseconds())/1000, "p50-ms-"+what+"-off")
	b.ReportMetric((1-onT/offT)*100, "%"+what+"-cost")
}

func envDuration(k string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(k)); err == nil && d > 0 {
		return d
	}
	return def
}

func envInt(k string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(k)); err == nil && n > 0 {
		return n
	}
	return def
}
