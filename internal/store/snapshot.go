package store

import (
	"context"
	sqldriver "database/sql/driver"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
)

// Read snapshots on SQLite.
//
// In WAL mode SQLite empties a connection's whole page cache when a read
// begins and finds that anyone committed since its last read. Every
// audited response commits its audit event, so on a loaded server nearly
// every statement of every reader started from a cold cache and read its
// pages again (7 to 8% of the server's CPU on the dashboard at 8 clients).
//
// So a reader connection keeps its read transaction open from one SELECT
// to the next, and starts a new one when data it may read has been
// committed since: every commit bumps a generation kept in memory shared
// by all processes on the file (a small file next to it, mapped, as
// SQLite's own -shm), except a commit that wrote the audit trail's tables
// only (its appends and index rows). A statement naming an audit table
// always starts a new snapshot, so it sees every commit so far. A snapshot
// is also renewed when older than maxSnapshotAge, and a reaper ends the
// snapshots of connections idle in the pool past that age. Anything but a
// read runs outside any snapshot.
//
// A request that wrote sees its write, on any process: its commit bumped
// the generation before it returned, and the next read of any connection
// starts afresh. Programs that write the file without going through this
// store (the sqlite3 shell, say) are seen within maxSnapshotAge.
//
// The WAL. A checkpoint copies the WAL's pages into the database up to the
// oldest page a reader's snapshot needs, and the WAL starts again from its
// beginning only once every page was copied and no snapshot needs one.
// Snapshots renewed one after another while the audit trail commits every
// few milliseconds leave no such moment (the WAL grew by 7 MB a second
// under the dashboard load). So at most every walCheckEvery a commit asks
// SQLite how long the WAL is (a passive checkpoint, which also copies what
// it can); above walDrainFrames the readers stop keeping snapshots (the
// reaper ends the idle ones) until a RESTART checkpoint, tried at each
// check with a short busy timeout, has copied everything and made the next
// writer start the WAL afresh.
//
// While draining, every read starts from a cold page cache, so the drain is
// kept short: when it starts, the idle connections' snapshots end at once
// and a statement's snapshot ends when its rows close, and the first
// RESTART is tried drainRetry later rather than a whole walCheckEvery (a
// drain lasted exactly one walCheckEvery, a tenth of the time under the
// audited dashboard, whose commits filled 4096 frames every 2.5 s). A
// RESTART that fails waits walCheckEvery for the next.

const (
	// maxSnapshotAge bounds how stale a read may be for writes made
	// outside any rdrr store.
	maxSnapshotAge = 100 * time.Millisecond
	walCheckEvery  = 250 * time.Millisecond
	drainRetry     = 5 * time.Millisecond
	walDrainFrames = 4096 // 16 MiB of 4 kB pages
	// restartWait is how long a RESTART checkpoint may hold up writers
	// waiting for the last readers of the WAL.
	restartWait = 20 * time.Millisecond
)

// snapshots is what the connections of one store share.
type snapshots struct {
	// gen is the generation, in memory shared by every process that
	// opened the file (generation_unix.go), so that a commit in one
	// process renews the snapshots of all.
	gen *atomic.Uint64
	// release unmaps the shared generation.
	release func()
	// draining is set while the WAL is longer than walDrainFrames.
	draining   atomic.Bool
	lastCheck  atomic.Int64  // unix nanoseconds of the last checkWAL
	drainAt    int64         // walDrainFrames; tests lower it
	checkEvery time.Duration // walCheckEvery; tests lower it
	retryAfter time.Duration // drainRetry; tests change it

	mu    sync.Mutex
	conns map[*snapshotConn]struct{}
	stop  chan struct{}
	done  chan struct{}
}

// newSnapshots returns the snapshots of the SQLite file at path, or nil
// (no snapshots: every statement reads afresh, as SQLite's autocommit
// does) where the generation cannot be shared between processes.
func newSnapshots(path string) (*snapshots, error) {
	gen, release, err := sharedGeneration(path + "-rdrr-gen")
	if err != nil || gen == nil {
		return nil, err
	}
	s := &snapshots{gen: gen, release: release, drainAt: walDrainFrames, checkEvery: walCheckEvery, retryAfter: drainRetry,
		conns: map[*snapshotConn]struct{}{}, stop: make(chan struct{}), done: make(chan struct{})}
	go s.reap(maxSnapshotAge / 2)
	return s, nil
}

func (s *snapshots) bump() { s.gen.Add(1) }

// close stops the reaper.
func (s *snapshots) close() {
	s.mu.Lock()
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	s.mu.Unlock()
	<-s.done
	s.release()
}

// reap ends, every interval, the snapshots of idle connections that are
// older than maxSnapshotAge, or all of them while draining: an idle
// connection's snapshot would otherwise keep the WAL from starting again.
func (s *snapshots) reap(interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		s.endIdle(s.draining.Load())
	}
}

// endIdle ends the snapshots of the connections not in use that are older
// than maxSnapshotAge, or all of them.
func (s *snapshots) endIdle(all bool) {
	s.mu.Lock()
	conns := make([]*snapshotConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		if !c.mu.TryLock() {
			continue // in use (the committing connection among them)
		}
		if c.open && !c.busy && !c.inTx && (all || time.Since(c.since) > maxSnapshotAge) {
			c.end()
		}
		c.mu.Unlock()
	}
}

// checkWAL runs a passive checkpoint on c, at most every walCheckEvery, and
// starts draining when the WAL is long; while draining it tries a RESTART
// checkpoint, and stops draining once one succeeds.
func (s *snapshots) checkWAL(c sqliteConn) {
	now := time.Now().UnixNano()
	last := s.lastCheck.Load()
	if now-last < int64(s.checkEvery) || !s.lastCheck.CompareAndSwap(last, now) {
		return
	}
	if s.draining.Load() {
		if restart(c) {
			s.draining.Store(false)
		}
		return
	}
	frames, copied, ok := checkpoint(c, "PASSIVE")
	if ok && frames > s.drainAt && copied < frames {
		s.draining.Store(true)
		s.endIdle(true)
		// The next check, a RESTART, may come retryAfter from now.
		s.lastCheck.Store(now - int64(s.checkEvery) + int64(s.retryAfter))
	}
}

// restart tries a RESTART checkpoint, waiting at most restartWait for
// readers, and reports whether it copied the whole WAL.
func restart(c sqliteConn) bool {
	ctx := context.Background()
	if _, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", restartWait.Milliseconds()), nil); err != nil {
		return false
	}
	defer c.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeout.Milliseconds()), nil) //nolint:errcheck // a failure leaves the shorter wait
	frames, copied, ok := checkpoint(c, "RESTART")
	return ok && copied == frames
}

// checkpoint runs PRAGMA wal_checkpoint(mode) and returns the WAL's
// length and how much of it is copied into the database, in pages.
func checkpoint(c sqliteConn, mode string) (frames, copied int64, ok bool) {
	rows, err := c.QueryContext(context.Background(), "PRAGMA wal_checkpoint("+mode+")", nil)
	if err != nil {
		return 0, 0, false
	}
	defer rows.Close()
	vals := make([]sqldriver.Value, 3)
	if rows.Next(vals) != nil {
		return 0, 0, false
	}
	busy, _ := vals[0].(int64)
	frames, _ = vals[1].(int64)
	copied, _ = vals[2].(int64)
	return frames, copied, busy == 0
}

// snapshotConnector opens modernc.org/sqlite connections that keep read
// snapshots.
type snapshotConnector struct {
	dsn   string
	snaps *snapshots
	drv   sqlite.Driver
}

func (c *snapshotConnector) Connect(context.Context) (sqldriver.Conn, error) {
	inner, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := inner.(sqliteConn)
	if !ok {
		inner.Close()
		return nil, fmt.Errorf("modernc.org/sqlite's connection (%T) lacks a method read snapshots need", inner)
	}
	conn := &snapshotConn{inner: sc, snaps: c.snaps}
	c.snaps.mu.Lock()
	c.snaps.conns[conn] = struct{}{}
	c.snaps.mu.Unlock()
	return conn, nil
}

func (c *snapshotConnector) Driver() sqldriver.Driver { return &c.drv }

// sqliteConn is what modernc.org/sqlite's connection implements.
type sqliteConn interface {
	sqldriver.Conn
	sqldriver.ConnBeginTx
	sqldriver.ConnPrepareContext
	sqldriver.ExecerContext
	sqldriver.QueryerContext
	sqldriver.Pinger
	sqldriver.SessionResetter
	sqldriver.Validator
}

// snapshotConn is one connection. database/sql uses it from one goroutine
// at a time; mu keeps the reaper out while it does.
type snapshotConn struct {
	inner sqliteConn
	snaps *snapshots

	mu    sync.Mutex
	open  bool      // a read transaction of ours is open
	gen   uint64    // the generation it began at
	since time.Time // when it began
	busy  bool      // rows of a statement outside a transaction are open
	inTx  bool      // a transaction of the caller's is open
	tx    *snapshotTx
}

// end closes the read snapshot, if open.
func (c *snapshotConn) end() {
	if !c.open {
		return
	}
	c.open = false
	if _, err := c.inner.ExecContext(context.Background(), "COMMIT", nil); err != nil {
		// COMMIT of a read transaction fails only when SQLite ended it
		// itself (it may on an interrupted statement): make sure.
		_, _ = c.inner.ExecContext(context.Background(), "ROLLBACK", nil)
	}
}

// read makes sure a current snapshot is open for a SELECT, or none while
// draining.
func (c *snapshotConn) read(ctx context.Context, fresh bool) error {
	gen, draining := c.snaps.gen.Load(), c.snaps.draining.Load()
	if c.open && (c.gen != gen || fresh || draining || time.Since(c.since) > maxSnapshotAge) {
		c.end()
	}
	if c.open || draining {
		return nil // draining: the statement is its own read transaction
	}
	if _, err := c.inner.ExecContext(ctx, "BEGIN", nil); err != nil {
		return err
	}
	c.open, c.gen, c.since = true, gen, time.Now()
	return nil
}

func (c *snapshotConn) QueryContext(ctx context.Context, query string, args []sqldriver.NamedValue) (sqldriver.Rows, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inTx {
		c.tx.saw(query)
		return c.inner.QueryContext(ctx, query, args)
	}
	var (
		rows sqldriver.Rows
		err  error
	)
	if isSelect(query) || isWith(query) {
		if err := c.read(ctx, namesAuditTable(query)); err != nil {
			return nil, err
		}
		if rows, err = c.inner.QueryContext(ctx, query, args); err != nil {
			c.end()
		}
	} else {
		rows, err = write(c, query, func() (sqldriver.Rows, error) { return c.inner.QueryContext(ctx, query, args) })
	}
	if err != nil {
		return nil, err
	}
	sr, ok := rows.(sqliteRows)
	if !ok {
		rows.Close()
		return nil, fmt.Errorf("modernc.org/sqlite's rows (%T) lack a method read snapshots need", rows)
	}
	c.busy = true
	return &snapshotRows{sqliteRows: sr, conn: c}, nil
}

func (c *snapshotConn) ExecContext(ctx context.Context, query string, args []sqldriver.NamedValue) (sqldriver.Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inTx {
		c.tx.saw(query)
		return c.inner.ExecContext(ctx, query, args)
	}
	return write(c, query, func() (sqldriver.Result, error) { return c.inner.ExecContext(ctx, query, args) })
}

// write runs a statement that may write outside any snapshot (autocommit),
// and then lets readers see it.
func write[T any](c *snapshotConn, query string, run func() (T, error)) (T, error) {
	c.end()
	out, err := run()
	if !writesAuditOnly(query) {
		c.snaps.bump()
	}
	return out, err
}

func (c *snapshotConn) BeginTx(ctx context.Context, opts sqldriver.TxOptions) (sqldriver.Tx, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.end()
	tx, err := c.inner.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.inTx, c.tx = true, &snapshotTx{inner: tx, conn: c}
	return c.tx, nil
}

func (c *snapshotConn) Begin() (sqldriver.Tx, error) {
	return c.BeginTx(context.Background(), sqldriver.TxOptions{})
}

func (c *snapshotConn) PrepareContext(ctx context.Context, query string) (sqldriver.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inTx {
		c.tx.saw(query)
	} else {
		// A prepared statement may run later, after the snapshot moved on,
		// and may write: it runs outside any, and counts as a write.
		c.end()
		c.snaps.bump()
	}
	return c.inner.PrepareContext(ctx, query)
}

func (c *snapshotConn) Prepare(query string) (sqldriver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *snapshotConn) Close() error {
	c.snaps.mu.Lock()
	delete(c.snaps.conns, c)
	c.snaps.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inner.Close()
}

func (c *snapshotConn) Ping(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inner.Ping(ctx)
}

func (c *snapshotConn) ResetSession(ctx context.Context) error { return c.inner.ResetSession(ctx) }
func (c *snapshotConn) IsValid() bool                          { return c.inner.IsValid() }

// sqliteRows is what modernc.org/sqlite's rows implement.
type sqliteRows interface {
	sqldriver.Rows
	sqldriver.RowsColumnTypeDatabaseTypeName
	sqldriver.RowsColumnTypeLength
	sqldriver.RowsColumnTypeNullable
	sqldriver.RowsColumnTypePrecisionScale
	sqldriver.RowsColumnTypeScanType
}

// snapshotRows are a statement's rows; closing them frees the connection
// for the reaper.
type snapshotRows struct {
	sqliteRows
	conn *snapshotConn
}

func (r *snapshotRows) Close() error {
	r.conn.mu.Lock()
	defer r.conn.mu.Unlock()
	r.conn.busy = false
	err := r.sqliteRows.Close()
	if r.conn.snaps.draining.Load() {
		r.conn.end() // the RESTART waits for every snapshot
	}
	return err
}

// snapshotTx is a caller's transaction; its commit lets readers see it,
// unless it wrote the audit trail's tables only.
type snapshotTx struct {
	inner sqldriver.Tx
	conn  *snapshotConn
	data  bool // it wrote a table other than the audit trail's
}

// saw notes a statement run in the transaction.
func (t *snapshotTx) saw(query string) {
	if !t.data && !isSelect(query) && !isWith(query) && !writesAuditOnly(query) {
		t.data = true
	}
}

func (t *snapshotTx) Commit() error {
	c := t.conn
	c.mu.Lock()
	defer c.mu.Unlock()
	err := t.inner.Commit()
	c.inTx, c.tx = false, nil
	if t.data {
		c.snaps.bump()
	}
	if err == nil {
		c.snaps.checkWAL(c.inner)
	}
	return err
}

func (t *snapshotTx) Rollback() error {
	c := t.conn
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inTx, c.tx = false, nil
	return t.inner.Rollback()
}
