package stats

import (
	"context"
	"database/sql"
	"runtime"
	"sync"
	"time"
)

// Source answers statistics requests from one database under one
// deployment's disclosure-control configuration. The GraphQL field and the
// CSV report both go through it, so they cannot apply different rules.
type Source struct {
	DB      *sql.DB
	Dialect string // "sqlite3" or "postgres"
	Config  Config

	once  sync.Once
	slots chan struct{}
}

// Report computes and protects the report of req. At most GOMAXPROCS
// reports are computed at once per process (the others wait, or give up
// with ctx): a report is CPU-bound and holds its histogram in memory, so
// more at once would only add memory, not throughput.
func (s *Source) Report(ctx context.Context, req Request) (*Report, error) {
	s.once.Do(func() { s.slots = make(chan struct{}, runtime.GOMAXPROCS(0)) })
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.slots }()
	return Compute(ctx, s.DB, s.Dialect, req, s.Config)
}

// Run keeps the snapshot fresh until ctx ends: it rebuilds it when it is
// stale (older than MaxAge, or of an earlier date), checking every check
// interval, so reports seldom wait for a rebuild. Several processes may
// run it on one database; they rebuild one at a time. Errors are reported
// to onErr and retried at the next check.
func (s *Source) Run(ctx context.Context, check time.Duration, onErr func(error)) {
	cfg, err := s.Config.Normalize()
	if err != nil {
		onErr(err)
		return
	}
	d, err := newDialect(s.Dialect)
	if err != nil {
		onErr(err)
		return
	}
	if cfg.MaxAge < 0 {
		return // every report rebuilds it
	}
	// Rebuild a little before MaxAge, so a report seldom finds it stale.
	margin := min(check, cfg.MaxAge/2)
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		now := cfg.Now().UTC()
		asOf := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		if err := ensureSnapshot(ctx, s.DB, d, asOf, cfg.MaxAge-margin); err != nil && ctx.Err() == nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
