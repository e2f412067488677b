// Package results holds the benchmark suite's measurements as the suite
// writes them (JSON) and renders them as Markdown tables.
package results

import (
	"fmt"
	"strings"
	"time"
)

// File is the result of one suite run: one target on one store.
type File struct {
	Target       string
	Store        string
	Started      time.Time
	Duration     string // measured time per run
	Warmup       string
	Cases        int // returnees in the database
	VisibleCases int // cases the case manager's organisation is on
	CPUs         int
	Round        int `json:",omitempty"` // which round of the suite (ROUNDS), from 1; 0 when it ran once
	Runs         []Run
}

// Run is one operation at one client count. CPU figures are percent of
// one core over the measured window (the machine has CPUs of them).
type Run struct {
	Op         string
	Clients    int
	Skip       string `json:",omitempty"` // why the operation did not run
	Requests   int
	Errors     int
	FirstError string  `json:",omitempty"`
	Throughput float64 // requests per second
	P50ms      float64
	P95ms      float64
	P99ms      float64
	MeanMs     float64
	ServerCPU  float64 // the server process and its children
	DBCPU      float64 // PostgreSQL (postmaster and backends), when sampled
	LoadCPU    float64 // the load driver (this process)
	MaxRSSMB   float64 // largest resident set of the server seen during the run
	HWMMB      float64 // the server's peak resident set since it started (VmHWM)
	// StealPct is the machine's CPU steal over the measured window, percent
	// of all CPU time: what the hypervisor gave to other machines. Runs
	// with much of it measured a slower machine; nil where it was not read
	// (results written before it was).
	StealPct *float64 `json:",omitempty"`
}

// Markdown renders the runs as a table.
func (f File) Markdown() string {
	var b strings.Builder
	round := ""
	if f.Round > 0 {
		round = fmt.Sprintf(", round %d", f.Round)
	}
	fmt.Fprintf(&b, "\n### %s on %s (%d returnees, %s per run after %s warm-up, %d CPUs shared by everything%s)\n\n", f.Target, f.Store, f.Cases, f.Duration, f.Warmup, f.CPUs, round)
	b.WriteString("| operation | clients | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU % | PostgreSQL CPU % | load driver CPU % | server RSS max MB | CPU steal % |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range f.Runs {
		if r.Skip != "" {
			fmt.Fprintf(&b, "| %s | | skipped: %s | | | | | | | | | |\n", r.Op, r.Skip)
			continue
		}
		db := "-"
		if r.DBCPU > 0 {
			db = fmt.Sprintf("%.0f", r.DBCPU)
		}
		steal := "-"
		if r.StealPct != nil {
			steal = fmt.Sprintf("%.1f", *r.StealPct)
		}
		fmt.Fprintf(&b, "| %s | %d | %.1f | %.2f | %.2f | %.2f | %d | %.0f | %s | %.0f | %.0f | %s |\n",
			r.Op, r.Clients, r.Throughput, r.P50ms, r.P95ms, r.P99ms, r.Errors, r.ServerCPU, db, r.LoadCPU, r.MaxRSSMB, steal)
	}
	for _, r := range f.Runs {
		if r.FirstError != "" {
			fmt.Fprintf(&b, "\nFirst error of %s at %d clients: %.300s\n", r.Op, r.Clients, r.FirstError)
		}
	}
	return b.String()
}
