// Command suite runs the benchmark suite's operations (bench/workload)
// against one running server at several client counts, measures the
// server's CPU and memory (and PostgreSQL's CPU) from /proc while it does,
// prints a Markdown table and writes the results as JSON for
// bench/cmd/compare. bench/suite.sh starts the servers and calls it.
//
//	go run ./bench/cmd/suite -target rdrr -store sqlite -url http://127.0.0.1:18181/graphql \
//	    -db sqlite:/tmp/x/bench.db -pid $PID -out rdrr-sqlite.json
//
// rdrr tokens come from TOKEN_CASE_MANAGER, TOKEN_LEGAL, TOKEN_CLINICIAN
// and TOKEN_ANALYST (rdrr token --user ...).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/rdrr-project/rdrr/bench/results"
	"github.com/rdrr-project/rdrr/bench/workload"
)

func main() {
	target := flag.String("target", "rdrr", "rdrr, raw, raw1 (rawsql -case-statements one), raw1a (one-audited) or postgraphile")
	store := flag.String("store", "", "label of the store: sqlite or postgres")
	url := flag.String("url", "", "GraphQL endpoint of the server")
	dbURL := flag.String("db", "", "database the server uses (sqlite:PATH or postgres://...), to draw variables from")
	pid := flag.Int("pid", 0, "PID of the server (its descendants are counted too); 0: do not sample")
	dbPid := flag.Int("db-pid", 0, "PID of the PostgreSQL postmaster, to count PostgreSQL's CPU; 0: do not")
	queries := flag.String("queries", "bench/queries", "directory of the GraphQL documents")
	clients := flag.String("clients", "1,8,32", "comma-separated client counts")
	ops := flag.String("ops", strings.Join(workload.Names, ","), "comma-separated operations to run")
	duration := flag.Duration("duration", 15*time.Second, "measured time per operation and client count")
	warmup := flag.Duration("warmup", 3*time.Second, "warm-up before each measurement")
	out := flag.String("out", "", "file to write the results to as JSON")
	round := flag.Int("round", 0, "which round of the suite this run is (bench/suite.sh ROUNDS), from 1; 0: it runs once")
	flag.Parse()

	ctx := context.Background()
	fix, err := workload.Load(ctx, *dbURL)
	if err != nil {
		log.Fatalf("reading the workload fixture: %v", err)
	}
	all, err := workload.Operations(workload.Target(*target), *queries, fix, workload.TokensFromEnv())
	if err != nil {
		log.Fatal(err)
	}
	levels, err := ints(*clients)
	if err != nil {
		log.Fatalf("-clients: %v", err)
	}
	want := map[string]bool{}
	for _, o := range strings.Split(*ops, ",") {
		want[strings.TrimSpace(o)] = true
	}
	res := results.File{
		Target: *target, Store: *store, Started: time.Now().UTC(), Duration: duration.String(), Warmup: warmup.String(),
		Cases: fix.TotalCases, VisibleCases: fix.VisibleToCM, CPUs: runtime.NumCPU(), Round: *round,
	}
	m := measurer{url: *url, pid: *pid, dbPid: *dbPid, duration: *duration, warmup: *warmup}
	for _, op := range all {
		if !want[op.Name] {
			continue
		}
		if op.Skip != "" {
			log.Printf("%s %s: skipped: %s", *target, op.Name, op.Skip)
			res.Runs = append(res.Runs, results.Run{Op: op.Name, Skip: op.Skip})
			continue
		}
		for _, c := range levels {
			r, err := m.run(ctx, op, c)
			if err != nil {
				log.Fatalf("%s at %d clients: %v", op.Name, c, err)
			}
			log.Printf("%s %s %s c=%d: %.1f req/s, p50 %.2f ms, p99 %.2f ms, errors %d, server CPU %.0f%%, RSS %.0f MB %s",
				*target, *store, op.Name, c, r.Throughput, r.P50ms, r.P99ms, r.Errors, r.ServerCPU, r.MaxRSSMB, r.FirstError)
			res.Runs = append(res.Runs, r)
		}
	}
	fmt.Print(res.Markdown())
	if *out != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad client count %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}
