package store_test

import (
	"context"
	"testing"

	"github.com/rdrr-project/rdrr/internal/store"
)

// openMigrated opens the database at url with opts, brings it to the
// current schema and closes it when the test ends.
func openMigrated(t *testing.T, url string, opts store.Options) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return st
}
