package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// driver wraps ent's SQL driver to do two things for every statement ent
// sends: turn time arguments into UTC (SQLite stores timestamps as text and
// compares them as text, so one zone for all is what makes "until > now"
// correct), and count statements (exposed as Store.Statements, used by the
// N+1 tests and the benchmarks).
type driver struct {
	*entsql.Driver
	replica *entsql.Driver // read-only replica, used when the context allows (AllowReplica)
	stmts   *atomic.Int64
	// writeMu, on SQLite, lets one transaction of this process write at a
	// time. SQLite allows one writer anyway; without this, a transaction
	// that finds the lock taken sleeps in SQLite's busy handler (steps of
	// up to 100 ms) instead of starting the moment the lock is free.
	writeMu *sync.Mutex
	// writer, on SQLite, is the connection pool (of one) that transactions
	// use, apart from the readers'.
	writer *entsql.Driver
	// batches, on PostgreSQL, sends the statements of a pipeline round
	// (internal/pipeline, pipeline.go) together; replicaBatches those that
	// may go to the replica.
	batches, replicaBatches *pgBatches
}

// Pipelines reports whether statements sent under internal/pipeline's Run
// go together in batches. ent's eager loads ask (gql_loadedges.go): where
// they do not, side-by-side loads are not worth their goroutines.
func (d *driver) Pipelines() bool { return d.batches != nil }

func (d *driver) Exec(ctx context.Context, query string, args, v any) error {
	d.stmts.Add(1)
	if traceSQL {
		start := time.Now()
		defer func() { fmt.Fprintf(os.Stderr, "SQL %s %s\n", time.Since(start), query) }()
	}
	return d.Driver.Exec(ctx, query, utcArgs(args), v)
}

func (d *driver) Query(ctx context.Context, query string, args, v any) error {
	d.stmts.Add(1)
	args = utcArgs(args)
	if !customPlans(ctx, query) {
		if traceSQL {
			start := time.Now()
			defer func() { fmt.Fprintf(os.Stderr, "SQL %s %s\n", time.Since(start), query) }()
		}
		if ok, err := d.pipelined(ctx, query, args, v); ok {
			return err
		}
	}
	args = d.planArgs(ctx, query, args)
	if d.replica != nil && ReplicaAllowed(ctx) && isSelect(query) {
		return d.replica.Query(ctx, query, args, v)
	}
	if traceSQL && customPlans(ctx, query) {
		start := time.Now()
		defer func() { fmt.Fprintf(os.Stderr, "SQL %s %s\n", time.Since(start), query) }()
	}
	return d.Driver.Query(ctx, query, args, v)
}

// traceSQL prints every query ent sends, with its duration, to stderr when
// RDRR_TRACE_SQL is set: a development aid for finding slow statements.
var traceSQL = os.Getenv("RDRR_TRACE_SQL") != ""

func (d *driver) Tx(ctx context.Context) (dialect.Tx, error) {
	return d.BeginTx(ctx, nil)
}

func (d *driver) BeginTx(ctx context.Context, opts *entsql.TxOptions) (dialect.Tx, error) {
	var unlock func()
	if d.writeMu != nil {
		d.writeMu.Lock()
		var once sync.Once
		unlock = func() { once.Do(d.writeMu.Unlock) }
	}
	begin := d.Driver.BeginTx
	if d.writer != nil {
		begin = d.writer.BeginTx
	}
	tx, err := begin(ctx, opts)
	if err != nil {
		if unlock != nil {
			unlock()
		}
		return nil, err
	}
	return &txDriver{Tx: tx, stmts: d.stmts, unlock: unlock}, nil
}

type txDriver struct {
	dialect.Tx
	stmts  *atomic.Int64
	unlock func() // releases the SQLite write mutex; nil on PostgreSQL
}

func (t *txDriver) Commit() error {
	err := t.Tx.Commit()
	if t.unlock != nil {
		t.unlock()
	}
	return err
}

func (t *txDriver) Rollback() error {
	err := t.Tx.Rollback()
	if t.unlock != nil {
		t.unlock()
	}
	return err
}

func (t *txDriver) Exec(ctx context.Context, query string, args, v any) error {
	t.stmts.Add(1)
	if traceSQL {
		start := time.Now()
		defer func() { fmt.Fprintf(os.Stderr, "SQL tx %s %s\n", time.Since(start), query) }()
	}
	return t.Tx.Exec(ctx, query, utcArgs(args), v)
}

func (t *txDriver) Query(ctx context.Context, query string, args, v any) error {
	t.stmts.Add(1)
	if traceSQL {
		start := time.Now()
		defer func() { fmt.Fprintf(os.Stderr, "SQL tx %s %s\n", time.Since(start), query) }()
	}
	return t.Tx.Query(ctx, query, utcArgs(args), v)
}

// ExecContext and QueryContext let raw SQL (statistics, audit chain) run
// inside ent transactions.
func (t *txDriver) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	t.stmts.Add(1)
	return t.Tx.(entsql.ExecQuerier).ExecContext(ctx, query, utcList(args)...)
}

func (t *txDriver) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	t.stmts.Add(1)
	return t.Tx.(entsql.ExecQuerier).QueryContext(ctx, query, utcList(args)...)
}

func (d *driver) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	d.stmts.Add(1)
	return d.Driver.ExecContext(ctx, query, utcList(args)...)
}

func (d *driver) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	d.stmts.Add(1)
	return d.Driver.QueryContext(ctx, query, utcList(args)...)
}

func utcList(args []any) []any {
	out, _ := utcArgs(args).([]any)
	return out
}

func utcArgs(args any) any {
	list, ok := args.([]any)
	if !ok {
		return args
	}
	for i, a := range list {
		switch t := a.(type) {
		case time.Time:
			list[i] = t.UTC()
		case *time.Time:
			if t != nil {
				u := t.UTC()
				list[i] = &u
			}
		}
	}
	return list
}

type replicaKey struct{}

// AllowReplica returns ctx in which reads outside transactions may be
// answered by the replica: the caller has judged that slightly stale data
// is fine (a read-only operation of a user who has not just written).
func AllowReplica(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, true)
}

// ReplicaAllowed reports whether ctx lets reads go to the replica.
func ReplicaAllowed(ctx context.Context) bool {
	ok, _ := ctx.Value(replicaKey{}).(bool)
	return ok
}

// isSelect reports whether query only reads. ent sends INSERT ... RETURNING
// through Query on PostgreSQL; those must never reach the replica even when
// a read-only operation happens to write (an audit row, say).
func isSelect(query string) bool {
	q := strings.TrimLeft(query, " \t\n(")
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT")
}
