package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/authz/identity"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/graph"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/bus"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/ratelimit"
	"github.com/rdrr-project/rdrr/internal/stats"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/webhook"
)

// Server is a running rdrr instance.
type Server struct {
	cfg     Config
	Store   *store.Store
	Authz   *authz.Authorizer
	Bus     bus.Bus
	auth    *identity.Authenticator
	trail   *audit.Trail
	limiter *ratelimit.Limiter
	hooks   *webhook.Dispatcher
	sockets *socketCount
	beat    *heartbeat
	counts  *graph.CountCache
	orgs    *ent.OrganisationCache // nil when disabled
	pins    *primaryPins           // nil without a replica
	stats   *stats.Source
	http    *http.Server
	stop    context.CancelFunc
	done    chan struct{}
}

// New opens the database, migrates it when configured, loads the policy and
// builds the HTTP handler. It does not listen; call Serve.
func New(ctx context.Context, cfg Config) (*Server, error) {
	cfg.fill()
	st, err := store.Open(ctx, cfg.DB, store.Options{ReplicaURL: cfg.DBReplica, MaxOpenConns: cfg.DBMaxConns})
	if err != nil {
		return nil, err
	}
	statsCfg, err := cfg.Statistics.Normalize()
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	s := &Server{cfg: cfg, Store: st, done: make(chan struct{}), stats: &stats.Source{DB: st.DB, Dialect: st.Dialect, Config: statsCfg}}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()
	if cfg.AutoMigrate {
		if err := st.Migrate(ctx, cfg.Log); err != nil {
			return nil, err
		}
	} else if err := st.CheckMigrated(ctx); err != nil {
		return nil, err
	}
	if s.Authz, err = authz.New(ctx, st.Client, cfg.Log); err != nil {
		return nil, fmt.Errorf("loading policy: %w", err)
	}
	s.beat = newHeartbeat(s)
	if cfg.DBReplica != "" {
		s.pins = newPrimaryPins(cfg.ReplicaPin)
	}
	verifier, err := s.verifier(ctx)
	if err != nil {
		return nil, err
	}
	s.auth = identity.NewAuthenticator(st.Client, s.Authz, verifier)
	if !cfg.NoRateLimits {
		s.limiter = ratelimit.New(cfg.RateLimits, s.beat.Peers)
	}
	s.trail = audit.NewTrail(st.Client, audit.Chain{Dialect: st.Dialect}, cfg.Log, time.Second)
	s.trail.Disabled = cfg.BenchmarkWithoutAudit
	st.Client.Use(audit.Hook())
	poll := cfg.WebhookPoll
	if poll <= 0 {
		poll = 2 * time.Second
	}
	if cfg.OrgCacheTTL > 0 {
		s.orgs = ent.NewOrganisationCache(cfg.OrgCacheTTL)
		s.orgs.Install(st.Client)
	}
	if cfg.CountCacheTTL > 0 {
		s.counts = graph.NewCountCache(cfg.CountCacheTTL)
		s.counts.Install(st.Client)
	}
	// After the cache: interceptors run in the order installed, so a
	// cached total is served before this one would count.
	graph.InstallCaseCount(st.Client)
	graph.InstallTimelineColumns(st.Client)
	s.hooks = webhook.NewDispatcher(st.Client, st.Dialect, webhook.Guard{Allow: cfg.WebhookAllow}, cfg.Log, poll, cfg.WebhookRetryBase)
	s.sockets = &socketCount{n: map[gid.ID]int{}}
	// Hooks and interceptors are installed above, before any goroutine
	// (webhooks, heartbeat, refreshers) uses the client: ent's Use is not
	// safe to call while queries run.
	if err := s.startBus(ctx); err != nil {
		return nil, err
	}
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	ok = true
	return s, nil
}

// startBus connects the notification bus (LISTEN/NOTIFY on PostgreSQL, in
// process on SQLite) and keeps the policy current from it.
func (s *Server) startBus(ctx context.Context) error {
	wake := make(chan struct{}, 1)
	poke := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	if s.Store.Dialect == dialect.Postgres {
		b, err := bus.NewPostgres(ctx, s.cfg.DB, s.cfg.Log, poke)
		if err != nil {
			return err
		}
		s.Bus = b
	} else {
		s.Bus = bus.NewLocal()
	}
	sub, _ := s.Bus.Subscribe(topicPolicy)
	s.Authz.OnChange(func() {
		if err := s.Bus.Publish(context.Background(), topicPolicy, nil); err != nil {
			s.cfg.Log.Warn("announcing policy change", "err", err)
		}
	})
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.stop = cancel
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-wctx.Done():
				return
			case <-sub:
				poke()
			}
		}
	}()
	go func() {
		defer wg.Done()
		s.beat.run(wctx, 5*time.Second)
	}()
	go func() {
		defer wg.Done()
		s.Authz.Watch(wctx, s.cfg.PolicyPoll, wake)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.stats.Run(wctx, time.Minute, func(err error) { s.cfg.Log.Warn("refreshing the statistics snapshot", "err", err) })
	}()
	if s.pins != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.pins.follow(wctx, s.Bus)
		}()
	}
	go func() {
		wg.Wait()
		close(s.done)
	}()
	return nil
}

const topicPolicy = "policy"

func (s *Server) verifier(ctx context.Context) (identity.Verifier, error) {
	r := identity.Router{OIDC: map[string]identity.Verifier{}}
	if s.cfg.DevTokens {
		key, err := identity.LoadDevKey(s.cfg.DevKeyFile)
		if err != nil {
			return nil, err
		}
		r.Dev = identity.DevVerifier{Key: key}
	}
	if s.cfg.OIDCIssuer != "" {
		v, err := identity.NewOIDCVerifier(ctx, s.cfg.OIDCIssuer, s.cfg.OIDCAudience)
		if err != nil {
			return nil, err
		}
		r.OIDC[s.cfg.OIDCIssuer] = v
	}
	if r.Dev == nil && len(r.OIDC) == 0 {
		return nil, errors.New("no token verifier: enable development tokens or set --oidc-issuer")
	}
	return r, nil
}

// Serve accepts connections on l until ctx ends, then shuts down
// gracefully: it stops accepting, lets in-flight requests finish (up to the
// grace period) and closes the database last, so nothing is half-written.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(l) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace)
	defer cancel()
	err := s.http.Shutdown(sctx)
	s.Close()
	if err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

// Close releases everything. Safe to call more than once.
func (s *Server) Close() {
	if s.stop != nil {
		s.stop()
		<-s.done
		s.stop = nil
	}
	if s.Bus != nil {
		_ = s.Bus.Close()
		s.Bus = nil
	}
	if s.hooks != nil {
		s.hooks.Close()
		s.hooks = nil
	}
	if s.trail != nil {
		s.trail.Writer.Close() // queued audit events are written before the store closes
		s.trail.Indexer.Close()
		s.trail = nil
	}
	s.closeStore()
}

func (s *Server) closeStore() {
	if s.Store != nil {
		_ = s.Store.Close()
		s.Store = nil
	}
}
