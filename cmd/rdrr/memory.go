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
