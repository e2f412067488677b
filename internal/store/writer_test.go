package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/internal/store"
)

// TestSQLiteWritesAreNotStarvedByReaders holds every reader connection of a
// SQLite store busy and then commits a write transaction. Write
// transactions have a connection of their own; when they shared the
// readers' pool, the audit writer of a loaded server waited behind the
// readers for every batch, and every audited response waited with it.
func TestSQLiteWritesAreNotStarvedByReaders(t *testing.T) {
	ctx := context.Background()
	st := openMigrated(t, "sqlite:"+filepath.Join(t.TempDir(), "w.db"), store.Options{MaxOpenConns: 1})
	// The only reader connection stays busy while rows are open.
	rows, err := st.DB.QueryContext(ctx, "SELECT 1 UNION ALL SELECT 2")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatal("no row")
	}

	wctx, cancel := context.WithTimeout(viewer.SystemContext(ctx), 5*time.Second)
	defer cancel()
	tx, err := st.Client.Tx(wctx)
	if err != nil {
		t.Fatalf("beginning a write transaction while the readers are busy: %v", err)
	}
	if err := tx.Revision.Create().SetID("writer-test").Exec(wctx); err != nil {
		_ = tx.Rollback()
		t.Fatalf("writing while the readers are busy: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	n, err := st.Client.Revision.Query().Count(viewer.SystemContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("the write is not visible to readers after its commit")
	}
}
