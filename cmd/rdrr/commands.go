package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/authz/identity"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/user"
	"github.com/rdrr-project/rdrr/graph"
	"github.com/rdrr-project/rdrr/internal/ratelimit"
	"github.com/rdrr-project/rdrr/internal/seed"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/stats"
	"github.com/rdrr-project/rdrr/internal/store"
)

const defaultDB = "sqlite:rdrr.db"

func serveCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	d := server.Defaults()
	fs := newFlags("serve")
	addr := fs.String("addr", d.Addr, "listen address")
	db := fs.String("db", defaultDB, "database URL: sqlite:PATH or postgres://...")
	dbReplica := fs.String("db-replica", "", "PostgreSQL read replica URL: read-only operations are answered there, except for users who have just written")
	replicaPin := fs.Duration("replica-pin", d.ReplicaPin, "how long a user's reads stay on the primary after they write (with --db-replica)")
	dbMaxConns := fs.Int("db-max-conns", 0, "database connections per process (0: 20 on PostgreSQL; on SQLite the number of CPUs, at least 4)")
	demo := fs.Bool("demo", false, "fill an empty database with synthetic demo data before serving")
	returnees := fs.Int("returnees", 1000, "demo returnees to create with --demo")
	migrate := fs.Bool("migrate", true, "apply pending migrations at start; when false, refuse to start on a database that is behind")
	devTokens := fs.Bool("dev-tokens", true, "accept development tokens signed with the development key")
	keyFile := fs.String("dev-key-file", identity.DefaultDevKeyFile, "development signing key file (created on first use) when RDRR_DEV_SIGNING_KEY is not set")
	oidcIssuer := fs.String("oidc-issuer", "", "OpenID Connect issuer URL for production tokens")
	oidcAudience := fs.String("oidc-audience", "", "audience (client ID) OpenID Connect tokens must carry")
	breakGlass := fs.Duration("break-glass-duration", d.BreakGlassFor, "how long emergency access lasts")
	maxBody := fs.Int("max-body-bytes", int(d.MaxBodyBytes), "largest accepted request body")
	grace := fs.Duration("shutdown-grace", d.ShutdownGrace, "time in-flight requests get to finish on shutdown")
	dev := fs.Bool("development", false, "development mode: field suggestions in error messages")
	countTTL := fs.Duration("count-cache-ttl", d.CountCacheTTL, "how long returnee totals are cached per organisation and filter (0 disables)")
	orgTTL := fs.Duration("org-cache-ttl", d.OrgCacheTTL, "how long organisations and repatriation operations are cached for the pages that name them; changes made by other processes show after at most this (0 disables)")
	reqTimeout := fs.Duration("request-timeout", d.RequestTimeout, "longest a GraphQL request may run")
	introspection := fs.Bool("introspection", d.Introspection, "answer schema introspection (to authenticated users only)")
	maxTokens := fs.Int("max-tokens", d.MaxTokens, "GraphQL tokens per document")
	maxDepth := fs.Int("max-depth", d.QueryLimits.MaxDepth, "deepest field nesting of a query")
	maxCost := fs.Int("max-cost", d.QueryLimits.MaxCost, "highest estimated query cost (connections multiply their children by their page size)")
	maxAliases := fs.Int("max-aliases", d.QueryLimits.MaxAliases, "aliases per document")
	maxDirectives := fs.Int("max-directives", d.QueryLimits.MaxDirectives, "directives per field")
	maxOps := fs.Int("max-operations", d.QueryLimits.MaxOperations, "operations per document")
	rateLimits := fs.Bool("rate-limits", true, "apply per-user, per-organisation and per-address rate limits")
	rateUser := fs.Int("rate-user", int(d.RateLimits.PerUser), "requests per second per user, for the whole deployment (burst: twice this)")
	rateOrg := fs.Int("rate-org", int(d.RateLimits.PerOrg), "requests per second per organisation, for the whole deployment (burst: twice this)")
	rateIP := fs.Int("rate-ip", int(d.RateLimits.PerIP), "failed authentications per second per client address (burst: four times this)")
	corsOrigins := fs.String("cors-origins", "", "comma-separated origins allowed to call the API from a browser (none by default)")
	webhookAllow := fs.String("webhook-allow", "", "comma-separated networks (CIDR) webhooks may reach besides the public internet, e.g. 10.20.0.0/16 (none by default)")
	maxSockets := fs.Int("max-sockets-per-user", d.MaxSocketsPerUser, "open subscription connections per user")
	statsThreshold := fs.Int("stats-threshold", stats.DefaultSuppressUpTo, fmt.Sprintf("statistics: counts from 1 up to this are withheld, and shares and medians of populations that small (at least %d)", stats.MinSuppressUpTo))
	statsNoise := fs.Int("stats-max-noise", stats.DefaultMaxNoise, "statistics: largest change cell-key perturbation makes to a count")
	statsMaxAge := fs.Duration("stats-max-age", stats.DefaultMaxAge, "statistics: how long a snapshot of the case records answers reports before it is rebuilt (it is also rebuilt when the date changes)")
	statsSeed := fs.Uint64("stats-table-seed", 0, "statistics: seed of the perturbation table (0: the built-in table); keep it once figures are published")
	memLimit := fs.Int("memory-limit-mib", 150, "soft memory limit of the Go runtime in MiB (garbage collection works harder near it; 0: none; the GOMEMLIMIT variable, if set, wins)")
	debugAddr := fs.String("debug-addr", "", "serve Go runtime profiles (/debug/pprof/) on this separate address, e.g. 127.0.0.1:6060 (off by default)")
	gcPercent := fs.Int("gc-percent", 400, "heap growth, in percent of the live heap, that starts a garbage collection (the Go default is 100; the soft memory limit still bounds the heap; 0: the Go default; the GOGC variable, if set, wins)")
	if err := fs.parse(args); err != nil {
		return err
	}
	applyMemoryLimit(*memLimit, log)
	applyGCPercent(*gcPercent, log)
	var allow []netip.Prefix
	for _, c := range splitList(*webhookAllow) {
		p, err := netip.ParsePrefix(c)
		if err != nil {
			return usageError{fmt.Sprintf("--webhook-allow: %q is not a CIDR network", c)}
		}
		allow = append(allow, p)
	}
	cfg := server.Config{
		Addr: *addr, DB: *db, DBReplica: *dbReplica, ReplicaPin: *replicaPin, DBMaxConns: *dbMaxConns, AutoMigrate: *migrate, DevTokens: *devTokens, DevKeyFile: *keyFile,
		OIDCIssuer: *oidcIssuer, OIDCAudience: *oidcAudience, BreakGlassFor: *breakGlass,
		MaxBodyBytes: int64(*maxBody), ShutdownGrace: *grace, Development: *dev, CountCacheTTL: *countTTL, OrgCacheTTL: *orgTTL, Log: log,
		RequestTimeout: *reqTimeout, Introspection: *introspection, MaxTokens: *maxTokens,
		QueryLimits: graph.Limits{MaxDepth: *maxDepth, MaxCost: *maxCost, MaxAliases: *maxAliases, MaxDirectives: *maxDirectives, MaxOperations: *maxOps},
		RateLimits: ratelimit.Limits{
			PerUser: float64(*rateUser), PerUserBurst: 2 * *rateUser, PerOrg: float64(*rateOrg), PerOrgBurst: 2 * *rateOrg,
			PerIP: float64(*rateIP), PerIPBurst: 4 * *rateIP,
		},
		NoRateLimits: !*rateLimits, CORSOrigins: splitList(*corsOrigins), WebhookAllow: allow, MaxSocketsPerUser: *maxSockets,
		Statistics: stats.Config{SuppressUpTo: *statsThreshold, MaxNoise: *statsNoise, TableSeed: *statsSeed, MaxAge: *statsMaxAge},
	}
	srv, err := server.New(ctx, cfg)
	if err != nil {
		return err
	}
	if *demo {
		sum, err := seed.Demo(ctx, srv.Store.Client, srv.Authz, seed.Options{Returnees: *returnees, Log: log, Dialect: srv.Store.Dialect})
		switch {
		case errors.Is(err, seed.ErrNotEmpty):
			log.Info("database already has data; not seeding")
		case err != nil:
			srv.Close()
			return fmt.Errorf("seeding demo data: %w", err)
		default:
			log.Info("seeded demo data", "returnees", sum.Returnees, "records", sum.Records)
		}
	}
	stopDebug, err := startDebugListener(*debugAddr, log)
	if err != nil {
		srv.Close()
		return err
	}
	defer stopDebug()
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		srv.Close()
		return err
	}
	fmt.Fprintf(out, "rdrr serving GraphQL at http://%s/graphql (explorer at http://%s/)\n", l.Addr(), l.Addr())
	if *demo {
		fmt.Fprintf(out, "get a token:  go run ./cmd/rdrr token --db %s --user case.manager@gov-kz.example\n", cfg.DB)
		fmt.Fprintf(out, "demo accounts: %s\n", demoAccounts())
	}
	return srv.Serve(ctx, l)
}

func demoAccounts() string {
	var s []string
	for _, a := range seed.Accounts {
		s = append(s, a.Email)
	}
	return strings.Join(s, ", ")
}

// openMigrated opens the database for a command that reads it and refuses
// one whose schema is behind (run rdrr migrate first).
func openMigrated(ctx context.Context, db string) (*store.Store, error) {
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		return nil, err
	}
	if err := st.CheckMigrated(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func migrateCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	fs := newFlags("migrate")
	db := fs.String("db", defaultDB, "database URL: sqlite:PATH or postgres://...")
	status := fs.Bool("status", false, "list migrations and whether each is applied; change nothing")
	if err := fs.parse(args); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if !*status {
		if err := st.Migrate(ctx, log); err != nil {
			return err
		}
	}
	ms, err := st.Migrations(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		state := "pending"
		if m.Applied {
			state = "applied"
		}
		fmt.Fprintf(out, "%s_%s\t%s\n", m.Version, m.Description, state)
	}
	return nil
}

func seedCmd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	fs := newFlags("seed")
	db := fs.String("db", defaultDB, "database URL: sqlite:PATH or postgres://...")
	demo := fs.Bool("demo", false, "create the synthetic demo world (required)")
	returnees := fs.Int("returnees", 1000, "number of returnees")
	seedV := fs.Int("seed", 1, "random seed: the same seed gives the same data")
	if err := fs.parse(args); err != nil {
		return err
	}
	if !*demo {
		return usageError{"seed needs --demo (it only creates synthetic demo data)"}
	}
	if *returnees < 1 || *returnees > 1_000_000 {
		return usageError{"--returnees must be between 1 and 1000000"}
	}
	st, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx, log); err != nil {
		return err
	}
	az, err := authz.New(ctx, st.Client, log)
	if err != nil {
		return err
	}
	start := time.Now()
	sum, err := seed.Demo(ctx, st.Client, az, seed.Options{Returnees: *returnees, Seed: int64(*seedV), Log: log, Dialect: st.Dialect})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "seeded %d organisations, %d users, %d returnees, %d records in %s\n",
		sum.Organisations, sum.Users, sum.Returnees, sum.Records, time.Since(start).Round(time.Millisecond))
	return nil
}

func tokenCmd(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("token")
	db := fs.String("db", defaultDB, "database URL: sqlite:PATH or postgres://...")
	email := fs.String("user", "", "e-mail address of an existing user (required)")
	ttl := fs.Duration("ttl", 8*time.Hour, "token lifetime")
	keyFile := fs.String("dev-key-file", identity.DefaultDevKeyFile, "development signing key file when RDRR_DEV_SIGNING_KEY is not set")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *email == "" {
		return usageError{"token needs --user EMAIL"}
	}
	st, err := openMigrated(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.Client.User.Query().Where(user.Email(strings.ToLower(*email))).Only(viewer.SystemContext(ctx))
	if err != nil {
		return fmt.Errorf("no user %q in %s", *email, st.URL)
	}
	if !u.Active {
		return fmt.Errorf("user %q is inactive", *email)
	}
	key, err := identity.LoadDevKey(*keyFile)
	if err != nil {
		return err
	}
	tok, err := identity.IssueDevToken(key, u.ID, u.Email, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, tok)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
