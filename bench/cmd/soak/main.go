// Command soak runs a mixed load of reads and writes against a running rdrr
// server for a long time and prints, per window, throughput, errors, p99
// latency and the server's resident memory, so that a run shows whether the
// server stays error-free and its memory flat (docs/benchmarks.md).
//
//	go run ./bench/cmd/soak -url http://127.0.0.1:18181/graphql -db sqlite:/tmp/x/bench.db \
//	    -pid $PID -c 16 -d 10m -window 30s
//
// Tokens come from TOKEN_CASE_MANAGER, TOKEN_LEGAL, TOKEN_CLINICIAN and
// TOKEN_ANALYST, as for bench/cmd/suite. The mix, per 12 requests: 4
// dashboard pages, 2 cases in full, 2 searches, 3 writes (the mutation mix)
// and 1 statistics report.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/rdrr-project/rdrr/bench/load"
	"github.com/rdrr-project/rdrr/bench/procstat"
	"github.com/rdrr-project/rdrr/bench/workload"
)

func main() {
	url := flag.String("url", "", "GraphQL endpoint of the server")
	dbURL := flag.String("db", "", "database the server uses, to draw variables from")
	pid := flag.Int("pid", 0, "PID of the server")
	queries := flag.String("queries", "bench/queries", "directory of the GraphQL documents")
	clients := flag.Int("c", 16, "concurrent clients")
	duration := flag.Duration("d", 10*time.Minute, "length of the run")
	window := flag.Duration("window", 30*time.Second, "length of one reported window")
	flag.Parse()

	ctx := context.Background()
	fix, err := workload.Load(ctx, *dbURL)
	if err != nil {
		log.Fatalf("reading the workload fixture: %v", err)
	}
	all, err := workload.Operations(workload.RDRR, *queries, fix, workload.TokensFromEnv())
	if err != nil {
		log.Fatal(err)
	}
	weight := map[string]int{workload.Dashboard: 4, workload.Case: 2, workload.Search: 2, workload.Statistics: 1}
	var mix []load.Op
	for _, op := range all {
		if op.Name == workload.Mutations {
			mix = append(mix, op.Ops...) // three kinds of write
			continue
		}
		for i := 0; i < weight[op.Name]; i++ {
			mix = append(mix, op.Ops...)
		}
	}

	var sampler *procstat.Sampler
	if *pid > 0 {
		sampler = procstat.Start(*pid, time.Second)
	}
	fmt.Printf("| window end | req/s | errors | p50 ms | p99 ms | server RSS max MB |\n|---:|---:|---:|---:|---:|---:|\n")
	var total, errs int
	start := time.Now()
	for time.Since(start) < *duration {
		if sampler != nil {
			sampler.Stop()
			sampler = procstat.Start(*pid, time.Second)
			sampler.Mark()
		}
		r, err := load.Run(ctx, load.Config{URL: *url, Ops: mix, Concurrency: *clients, Duration: *window})
		if err != nil {
			log.Fatal(err)
		}
		rss := "-"
		if sampler != nil {
			rss = fmt.Sprintf("%.0f", float64(sampler.Stop().MaxRSS)/(1<<20))
			sampler = procstat.Start(*pid, time.Second)
		}
		total += r.Requests
		errs += r.Errors
		fmt.Printf("| %s | %.1f | %d | %.2f | %.2f | %s |\n", time.Since(start).Round(time.Second), r.Throughput, r.Errors,
			ms(r.P50), ms(r.P99), rss)
		if r.Errors > 0 {
			fmt.Fprintln(os.Stderr, "first error:", r.FirstError)
		}
	}
	if sampler != nil {
		sampler.Stop()
	}
	fmt.Printf("\n%d requests in %s, %d errors\n", total, time.Since(start).Round(time.Second), errs)
	if errs > 0 {
		os.Exit(1)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
