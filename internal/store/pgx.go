package store

import (
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgxConfig parses a PostgreSQL URL and sets the session defaults rdrr
// relies on: UTC, and a statement timeout so a runaway query cannot hold a
// connection forever.
func pgxConfig(rawURL string, opts Options) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parsing postgres URL: %w", err)
	}
	st := opts.StatementTimeout
	if st == 0 {
		st = 30 * time.Second
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["timezone"] = "UTC"
	if _, ok := cfg.RuntimeParams["statement_timeout"]; !ok {
		cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(st.Milliseconds(), 10)
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "rdrr"
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 3 * time.Second // a lost database answers quickly, not after a hang
	}
	return cfg, nil
}
