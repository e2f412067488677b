// Package store opens rdrr's database, SQLite (embedded default) or
// PostgreSQL (production), and applies its versioned migrations.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/rdrr-project/rdrr/internal/auditsets"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/rdrr-project/rdrr/ent"
	_ "github.com/rdrr-project/rdrr/ent/runtime" // registers hooks and privacy policies
)

// Store is an open database with its ent client.
type Store struct {
	Client    *ent.Client
	DB        *sql.DB
	Dialect   string // dialect.SQLite or dialect.Postgres
	URL       string // the URL it was opened with, password removed
	stmts     atomic.Int64
	batches   atomic.Int64 // pipelined batches sent (pipeline.go)
	pipelined atomic.Int64 // statements sent in them
	drv       *driver
	replica   *sql.DB
	writer    *sql.DB    // SQLite: the one connection write transactions use
	snaps     *snapshots // SQLite file: the readers' snapshots (snapshot.go)
}

// Options tune the connection pool.
type Options struct {
	MaxOpenConns     int           // 0: a default for the dialect
	MaxIdleTime      time.Duration // 0: 5 minutes
	StatementTimeout time.Duration // PostgreSQL statement_timeout; 0: 30 s
	ReplicaURL       string        // a PostgreSQL read replica of the same database, or ""
}

// ErrUnsupportedURL is returned for database URLs of unknown schemes.
var ErrUnsupportedURL = errors.New("database URL must start with sqlite: or postgres://")

// Open connects to the database named by rawURL: "sqlite:PATH" (WAL
// journal, foreign keys on) or "postgres://..." (through pgx). It does not
// migrate; call Migrate.
func Open(ctx context.Context, rawURL string, opts Options) (*Store, error) {
	var (
		db    *sql.DB
		dial  string
		err   error
		snaps *snapshots // SQLite: the readers' snapshot generation
	)
	switch {
	case strings.HasPrefix(rawURL, "sqlite:"):
		dial = dialect.SQLite
		path := sqlitePath(rawURL)
		if path == "" {
			return nil, fmt.Errorf("sqlite URL needs a path, e.g. sqlite:rdrr.db")
		}
		if path != ":memory:" {
			if dir := filepath.Dir(path); dir != "." {
				if err := os.MkdirAll(dir, 0o750); err != nil {
					return nil, fmt.Errorf("creating database directory: %w", err)
				}
			}
			if snaps, err = newSnapshots(path); err != nil {
				return nil, fmt.Errorf("opening sqlite %s: %w", path, err)
			}
		}
		db, err = openSQLite(path, opts, snaps)
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		dial = dialect.Postgres
		db, err = openPostgres(rawURL, opts)
	default:
		return nil, ErrUnsupportedURL
	}
	opened := false
	defer func() {
		if !opened && snaps != nil {
			snaps.close() // stops its reaper
		}
	}()
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := ping(pingCtx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to %s: %w", redact(rawURL), err)
	}
	s := &Store{DB: db, Dialect: dial, URL: redact(rawURL), snaps: snaps}
	drv := &driver{Driver: entsql.OpenDB(dial, db), stmts: &s.stmts}
	if dial == dialect.Postgres {
		drv.batches = &pgBatches{db: db, batches: &s.batches, pipelined: &s.pipelined}
	}
	if opts.ReplicaURL != "" {
		if dial != dialect.Postgres || !strings.HasPrefix(opts.ReplicaURL, "postgres") {
			db.Close()
			return nil, fmt.Errorf("a read replica needs PostgreSQL for both the primary and the replica")
		}
		rdb, err := openPostgres(opts.ReplicaURL, opts)
		if err != nil {
			db.Close()
			return nil, err
		}
		if err := rdb.PingContext(pingCtx); err != nil {
			db.Close()
			rdb.Close()
			return nil, fmt.Errorf("connecting to the replica %s: %w", redact(opts.ReplicaURL), err)
		}
		drv.replica = entsql.OpenDB(dial, rdb)
		drv.replicaBatches = &pgBatches{db: rdb, batches: &s.batches, pipelined: &s.pipelined}
		s.replica = rdb
	}
	if dial == dialect.SQLite {
		// Write transactions take a connection of their own: with the
		// readers' connections all busy (a loaded server), the audit
		// writer waited for one behind them, 4 ms a batch, and every
		// audited response waited with it. SQLite has one writer at a
		// time anyway (writeMu), so one connection serves them all.
		// (An in-memory database is private to its connection pool.)
		drv.writeMu = &sync.Mutex{}
		if path := sqlitePath(rawURL); path != ":memory:" {
			wdb, err := openSQLiteDB(path, 1, opts, snaps)
			if err != nil {
				db.Close()
				return nil, err
			}
			drv.writer = entsql.OpenDB(dial, wdb)
			s.writer = wdb
		}
	}
	s.drv = drv
	s.Client = ent.NewClient(ent.Driver(drv))
	s.Client.AuditEvent.Intercept(auditsets.Interceptor(s.Client))
	opened = true
	return s, nil
}

// Close closes the database (and the replica).
func (s *Store) Close() error {
	if s.replica != nil {
		s.replica.Close()
	}
	if s.writer != nil {
		s.writer.Close()
	}
	err := s.Client.Close()
	if s.snaps != nil {
		s.snaps.close()
	}
	return err
}

// Statements returns how many SQL statements ent has sent so far.
func (s *Store) Statements() int64 { return s.stmts.Load() }

// Batches is the number of pipelined batches sent so far (pipeline.go),
// and Pipelined the number of statements sent in them: of Statements,
// Pipelined went without a round trip of their own, in Batches round trips.
func (s *Store) Batches() int64 { return s.batches.Load() }

// Pipelined is the number of statements sent in batches so far (Batches).
func (s *Store) Pipelined() int64 { return s.pipelined.Load() }

// Ping checks the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error { return s.DB.PingContext(ctx) }

// sqlitePath is the file of a sqlite: URL.
func sqlitePath(rawURL string) string { return strings.TrimPrefix(rawURL, "sqlite:") }

// busyTimeout is how long a SQLite statement waits for a lock.
const busyTimeout = 10 * time.Second

func openSQLite(path string, opts Options, snaps *snapshots) (*sql.DB, error) {
	// SQLite runs inside this process: each connection is a CPU worker
	// with its own page cache and sort memory, so connections beyond the
	// cores add memory, not throughput (2 cores, name search at 32
	// clients: 8 connections 52 req/s and 474 MB resident, 4 connections
	// 58 req/s and 230 MB).
	n := opts.MaxOpenConns
	if n == 0 {
		n = max(4, runtime.GOMAXPROCS(0))
	}
	return openSQLiteDB(path, n, opts, snaps)
}

// openSQLiteDB opens a pool of n connections to the SQLite file at path,
// keeping read snapshots (snapshot.go) with the generation snaps.
func openSQLiteDB(path string, n int, opts Options, snaps *snapshots) (*sql.DB, error) {
	// _txlock=immediate takes the write lock when a transaction begins, so
	// two writers queue on busy_timeout instead of one failing with
	// SQLITE_BUSY when it upgrades a read lock. synchronous=NORMAL in WAL
	// mode loses nothing on a process crash (only on power loss).
	q := url.Values{}
	// cache_size: 16 MiB of page cache per connection (the default 2 MiB
	// thrashes on the case-team indexes of 100000 cases). No mmap: mapped
	// pages count towards the server's resident memory.
	// busy_timeout comes first: the pragmas run in this order on every new
	// connection, and switching a new database to WAL takes the write lock,
	// which another process opening it at the same moment may hold.
	for _, p := range []string{
		fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()), "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)",
		"cache_size(-16384)", "temp_store(MEMORY)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_time_format", "sqlite")
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	var db *sql.DB
	if snaps != nil {
		db = sql.OpenDB(&snapshotConnector{dsn: dsn, snaps: snaps})
	} else {
		// In memory (private to its pool, which nobody else writes to), or
		// where snapshots cannot be shared between processes.
		var err error
		if db, err = sql.Open("sqlite", dsn); err != nil {
			return nil, fmt.Errorf("opening sqlite %s: %w", path, err)
		}
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(idle(opts))
	return db, nil
}

func openPostgres(rawURL string, opts Options) (*sql.DB, error) {
	cfg, err := pgxConfig(rawURL, opts)
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDB(*cfg)
	n := opts.MaxOpenConns
	if n == 0 {
		n = 20
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(idle(opts))
	return db, nil
}

// ping opens the first connection. On SQLite it tries again while the
// database is busy: the first connection switches a new database to WAL,
// and when several processes open it at that moment SQLite may refuse the
// switch with SQLITE_BUSY at once, without waiting for busy_timeout.
func ping(ctx context.Context, db *sql.DB) error {
	for {
		err := db.PingContext(ctx)
		if err == nil || !sqliteBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// sqliteBusy reports whether err is SQLite's SQLITE_BUSY (primary code 5).
func sqliteBusy(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == 5
}

func idle(opts Options) time.Duration {
	if opts.MaxIdleTime > 0 {
		return opts.MaxIdleTime
	}
	return 5 * time.Minute
}

// redact removes a password from a database URL for logs and errors.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
