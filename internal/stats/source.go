package stats

import (
	"context"
	"database/sql"
)

// Source answers statistics requests from one database under one
// deployment's disclosure-control configuration. The GraphQL field and the
// CSV report both go through it, so they cannot apply different rules.
type Source struct {
	DB      *sql.DB
	Dialect string // "sqlite3" or "postgres"
	Config  Config
}

// Report computes and protects the report of req.
func (s *Source) Report(ctx context.Context, req Request) (*Report, error) {
	return Compute(ctx, s.DB, s.Dialect, req, s.Config)
}
