// Package server wires rdrr together: the store, the policy, identity, the
// GraphQL handler and the HTTP server, with graceful shutdown.
package server

import (
	"log/slog"
	"net/netip"
	"time"

	"github.com/rdrr-project/rdrr/graph"
	"github.com/rdrr-project/rdrr/internal/ratelimit"
	"github.com/rdrr-project/rdrr/internal/stats"
)

// Config is everything the server needs. cmd/rdrr fills it from flags and
// their environment twins.
type Config struct {
	Addr              string        // listen address, e.g. 127.0.0.1:8080
	DB                string        // sqlite:PATH or postgres://...
	DBReplica         string        // PostgreSQL read replica for read-only operations; empty: none
	ReplicaPin        time.Duration // how long a user's reads stay on the primary after they write
	DBMaxConns        int           // connection pool size; 0: a default for the dialect
	AutoMigrate       bool          // apply pending migrations at start (else refuse to start)
	DevKeyFile        string        // development signing key file
	DevTokens         bool          // accept development tokens
	OIDCIssuer        string        // OpenID Connect issuer URL; empty disables OIDC
	OIDCAudience      string        // expected audience (client ID) of OIDC tokens
	BreakGlassFor     time.Duration // duration of emergency access
	PolicyPoll        time.Duration // how often the policy revision is checked (safety net)
	MaxBodyBytes      int64         // request body limit
	ShutdownGrace     time.Duration // time in-flight requests get on shutdown
	Development       bool          // field suggestions in errors, verbose logs
	CountCacheTTL     time.Duration // how long returnee totals are cached; 0 disables
	OrgCacheTTL       time.Duration // how long organisations and operations looked up by eager loading are cached; 0 disables
	RequestTimeout    time.Duration // longest a GraphQL request may run
	Introspection     bool          // answer introspection (authenticated users only)
	MaxTokens         int           // GraphQL tokens per document
	QueryLimits       graph.Limits  // depth, cost, aliases, directives, operations
	RateLimits        ratelimit.Limits
	NoRateLimits      bool           // switch rate limiting off (tests, benchmarks)
	CORSOrigins       []string       // origins allowed to call the API from a browser; none by default
	WebhookAllow      []netip.Prefix // networks webhooks may reach besides the public internet (none by default)
	MaxSocketsPerUser int            // open subscription connections per user
	WebhookRetryBase  time.Duration  // first retry delay of webhook deliveries (5 s)
	WebhookPoll       time.Duration  // how often due deliveries are looked for (2 s)
	Statistics        stats.Config   // disclosure control of statistics reports (threshold, noise)
	Log               *slog.Logger

	// BenchmarkWithoutPolicy makes every authenticated request run as the
	// system viewer, which no row or category rule restricts.
	// It exists only so benchmarks can measure the cost of authorization;
	// there is no flag or variable for it.
	BenchmarkWithoutPolicy bool
	// BenchmarkWithoutAudit turns the audit trail off, for the benchmark
	// that measures its cost only; there is no flag or variable for it.
	BenchmarkWithoutAudit bool
}

// Defaults returns a Config with every default filled in.
func Defaults() Config {
	return Config{
		Addr:              "127.0.0.1:8080",
		DB:                "sqlite:rdrr.db",
		AutoMigrate:       true,
		DevTokens:         true,
		BreakGlassFor:     4 * time.Hour,
		PolicyPoll:        500 * time.Millisecond,
		MaxBodyBytes:      1 << 20,
		ShutdownGrace:     15 * time.Second,
		CountCacheTTL:     3 * time.Second,
		OrgCacheTTL:       10 * time.Second,
		RequestTimeout:    30 * time.Second,
		Introspection:     true,
		MaxTokens:         10000,
		QueryLimits:       graph.DefaultLimits,
		RateLimits:        ratelimit.Defaults,
		MaxSocketsPerUser: 5,
		ReplicaPin:        10 * time.Second,
	}
}

func (c *Config) fill() {
	d := Defaults()
	if c.Addr == "" {
		c.Addr = d.Addr
	}
	if c.DB == "" {
		c.DB = d.DB
	}
	if c.BreakGlassFor <= 0 {
		c.BreakGlassFor = d.BreakGlassFor
	}
	if c.PolicyPoll <= 0 {
		c.PolicyPoll = d.PolicyPoll
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = d.MaxBodyBytes
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = d.ShutdownGrace
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = d.RequestTimeout
	}
	if c.MaxTokens <= 0 {
		c.MaxTokens = d.MaxTokens
	}
	if c.ReplicaPin <= 0 {
		c.ReplicaPin = d.ReplicaPin
	}
	if c.MaxSocketsPerUser <= 0 {
		c.MaxSocketsPerUser = d.MaxSocketsPerUser
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
}
