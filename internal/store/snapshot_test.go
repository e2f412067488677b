package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// openFile opens a store on a new SQLite file with a data table and an
// audit table, as two processes would: each Open is a store of its own.
func openFile(t *testing.T, path string) *Store {
	t.Helper()
	st, err := Open(context.Background(), "sqlite:"+path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, q := range []string{
		"CREATE TABLE IF NOT EXISTS cases (id INTEGER PRIMARY KEY, name TEXT)",
		"CREATE TABLE IF NOT EXISTS audit_subjects (id INTEGER PRIMARY KEY, event_seq INTEGER, body BLOB)",
	} {
		if _, err := st.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// commitIn runs q in a transaction of db and commits it.
func commitIn(ctx context.Context, db *sql.DB, q string, args ...any) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(q, args...); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func count(t *testing.T, st *Store, table string) int {
	t.Helper()
	var n int
	if err := st.DB.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSnapshotsSeeEveryProcesssCommits: a reader keeping a snapshot sees
// at its next statement what another store on the file (another process)
// committed, in a transaction or not, and what its own store committed.
func TestSnapshotsSeeEveryProcesssCommits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.db")
	a, b := openFile(t, path), openFile(t, path)
	ctx := context.Background()
	for i, write := range []func() error{
		func() error { _, err := b.DB.Exec("INSERT INTO cases (name) VALUES ('b, autocommit')"); return err },
		func() error { return commitIn(ctx, b.writer, "INSERT INTO cases (name) VALUES ('b, transaction')") },
		func() error { return commitIn(ctx, a.writer, "INSERT INTO cases (name) VALUES ('a, transaction')") },
	} {
		before := count(t, a, "cases") // a's reader holds a snapshot now
		if err := write(); err != nil {
			t.Fatal(err)
		}
		if after := count(t, a, "cases"); after != before+1 {
			t.Errorf("write %d: a read %d cases after it, want %d", i, after, before+1)
		}
	}
}

// TestAuditCommitsLeaveSnapshots: a commit that wrote only audit tables
// leaves the generation as it was (readers keep their snapshots and page
// caches), while a read of an audit table still sees it at once; a commit
// that wrote data bumps the generation.
func TestAuditCommitsLeaveSnapshots(t *testing.T) {
	st := openFile(t, filepath.Join(t.TempDir(), "snap.db"))
	ctx := context.Background()
	commit := func(q string) {
		t.Helper()
		if err := commitIn(ctx, st.writer, q); err != nil {
			t.Fatal(err)
		}
	}
	count(t, st, "cases")
	gen := st.snaps.gen.Load()
	commit("INSERT INTO audit_subjects (event_seq) VALUES (1)")
	if g := st.snaps.gen.Load(); g != gen {
		t.Errorf("an audit-only commit moved the generation from %d to %d", gen, g)
	}
	if n := count(t, st, "audit_subjects"); n != 1 {
		t.Errorf("a read of the audit table saw %d rows, want 1", n)
	}
	commit("INSERT INTO cases (name) VALUES ('x')")
	if g := st.snaps.gen.Load(); g == gen {
		t.Error("a data commit left the generation as it was")
	}
}

// TestIdleSnapshotsAreEnded: a connection left idle in the pool does not
// keep its snapshot (which would keep the WAL from starting again) past
// maxSnapshotAge and a reaper round.
func TestIdleSnapshotsAreEnded(t *testing.T) {
	st := openFile(t, filepath.Join(t.TempDir(), "snap.db"))
	count(t, st, "cases")
	if openSnapshots(st) == 0 {
		t.Fatal("no snapshot open after a read")
	}
	deadline := time.Now().Add(2 * time.Second)
	for openSnapshots(st) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := openSnapshots(st); n > 0 {
		t.Fatalf("%d snapshots still open 2 s after the last read", n)
	}
}

// openSnapshots is how many of st's connections hold a read snapshot.
func openSnapshots(st *Store) int {
	st.snaps.mu.Lock()
	defer st.snaps.mu.Unlock()
	n := 0
	for c := range st.snaps.conns {
		c.mu.Lock()
		if c.open {
			n++
		}
		c.mu.Unlock()
	}
	return n
}

// TestDrainIsShort: when a commit finds the WAL long and starts draining,
// the snapshots of idle connections end at once, a snapshot whose rows
// were being read ends when they close, and the next commit tries the
// RESTART that ends the drain without waiting a whole check interval
// (here an hour, so only the shorter retry can end it).
func TestDrainIsShort(t *testing.T) {
	st := openFile(t, filepath.Join(t.TempDir(), "snap.db"))
	st.snaps.drainAt, st.snaps.checkEvery, st.snaps.retryAfter = 0, time.Hour, 0
	ctx := context.Background()
	commit := func() {
		t.Helper()
		if err := commitIn(ctx, st.writer, "INSERT INTO audit_subjects (event_seq, body) VALUES (1, 'x')"); err != nil {
			t.Fatal(err)
		}
	}
	commit() // the first check, of an empty WAL: nothing to drain
	// Two snapshots older than the next commit: one idle in the pool, one
	// whose rows are still open.
	reading, err := st.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer reading.Close()
	count(t, st, "cases")
	rows, err := reading.QueryContext(ctx, "SELECT id FROM cases")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if n := openSnapshots(st); n != 2 {
		t.Fatalf("%d snapshots open before the commit, want 2", n)
	}
	st.snaps.lastCheck.Store(0) // the commit below checks the WAL
	commit()
	if !st.snaps.draining.Load() {
		t.Fatal("a commit with two older snapshots open and no frame allowed did not start draining")
	}
	if n := openSnapshots(st); n != 1 {
		t.Errorf("%d snapshots open once draining began, want 1 (the one whose rows are open)", n)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if n := openSnapshots(st); n != 0 {
		t.Errorf("%d snapshots open after the rows closed while draining, want 0", n)
	}
	commit()
	if st.snaps.draining.Load() {
		t.Error("still draining after a commit with no snapshot left: the RESTART waits for the hourly check")
	}
}

// TestWALStartsAgainUnderSnapshots: readers that always hold a snapshot
// while audit-only commits go on would keep the WAL from ever starting
// again; draining lets it. With the drain threshold out of reach, the
// same load grows the WAL past the bound this test sets.
func TestWALStartsAgainUnderSnapshots(t *testing.T) {
	grow := func(drainAt int64) int64 {
		path := filepath.Join(t.TempDir(), "snap.db")
		st := openFile(t, path)
		st.snaps.drainAt, st.snaps.checkEvery = drainAt, 20*time.Millisecond
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					var n int
					_ = st.DB.QueryRow("SELECT count(*) FROM cases").Scan(&n)
				}
			}()
		}
		body := strings.Repeat("x", 3000)
		var largest int64
		for i := range 1500 {
			if err := commitIn(context.Background(), st.writer, "INSERT INTO audit_subjects (event_seq, body) VALUES (?, ?)", i, body); err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > largest {
				largest = fi.Size()
			}
		}
		close(stop)
		wg.Wait()
		return largest
	}
	// Measured: about 4.5 MB draining, 18.7 MB never draining.
	const bound = 9 << 20
	if wal := grow(64); wal > bound {
		t.Errorf("draining at 64 pages: the WAL grew to %d bytes, want at most %d", wal, bound)
	}
	if wal := grow(1 << 40); wal <= bound {
		t.Errorf("never draining: the WAL stayed at %d bytes; the test's load does not show what draining prevents", wal)
	}
}

func TestStatementKinds(t *testing.T) {
	for _, c := range []struct {
		query               string
		with, names, audits bool
	}{
		{"SELECT * FROM returnees", false, false, false},
		{" WITH t AS (SELECT 1) SELECT * FROM t", true, false, false},
		{"INSERT INTO `audit_events` (`id`) VALUES (?)", false, true, true},
		{"INSERT INTO audit_subjects (event_seq) SELECT * FROM (VALUES (?))", false, true, true},
		{"UPDATE `audit_chains` SET `last_seq` = ?", false, true, true},
		{"UPDATE `audit_indexes` SET `indexed_seq` = ?", false, true, true},
		{"UPDATE `audit_events_archive` SET x = 1", false, true, false},
		{"INSERT INTO `returnees` (`id`) VALUES (?)", false, false, false},
		{"DELETE FROM `returnees` WHERE id IN (SELECT returnee_id FROM audit_subjects)", false, true, false},
		{"SELECT * FROM `audit_events` WHERE `seq` > ?", false, true, false},
	} {
		if got := isWith(c.query); got != c.with {
			t.Errorf("isWith(%q) = %v", c.query, got)
		}
		if got := namesAuditTable(c.query); got != c.names {
			t.Errorf("namesAuditTable(%q) = %v", c.query, got)
		}
		if got := writesAuditOnly(c.query); got != c.audits {
			t.Errorf("writesAuditOnly(%q) = %v", c.query, got)
		}
	}
}
