package main

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// applyMemoryLimit sets the Go runtime's soft memory limit, so that under
// load the collector runs before the heap doubles (GOGC alone lets a
// 150 MiB live heap grow to 300 MiB). It bounds the Go heap, not SQLite's
// page cache, which is sized per connection (internal/store).
func applyMemoryLimit(mib int, log *slog.Logger) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set || mib <= 0 {
		return
	}
	debug.SetMemoryLimit(int64(mib) << 20)
	log.Debug("memory limit", "mib", mib)
}

// applyGCPercent sets the Go collector's target heap growth (GOGC). The
// server's live heap is small (about 12 MiB serving the benchmark suite)
// while a dashboard page allocates about 3 MiB, so at the default of 100
// the collector runs every few requests and takes a seventh of the CPU.
// A higher target trades memory, still bounded by the soft memory limit,
// for CPU. The GOGC variable, if set, wins.
func applyGCPercent(pct int, log *slog.Logger) {
	if _, set := os.LookupEnv("GOGC"); set || pct <= 0 {
		return
	}
	debug.SetGCPercent(pct)
	log.Debug("gc percent", "pct", pct)
}
