package server_test

import (
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestCountCacheIsPerOrganisationAndInvalidatedByChanges: totals are cached
// per organisation (never shared across teams) and a change to a case or a
// team in this process is counted at once.
func TestCountCacheIsPerOrganisationAndInvalidatedByChanges(t *testing.T) {
	s := testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)}
	w := newWorld(t, s)
	e := testenv.Start(t, s.URL, w.e.SameKey(), func(c *server.Config) { c.CountCacheTTL = time.Hour })
	count := func(tok string) int {
		var d struct{ Returnees struct{ TotalCount int } }
		e.Query(t, tok, `{ returnees { totalCount } }`, nil).Decode(t, &d)
		return d.Returnees.TotalCount
	}
	if got := count(w.cm); got != 1 {
		t.Fatalf("gov-kz counts %d, want 1", got)
	}
	if got := count(w.cmUZ); got != 1 {
		t.Fatalf("gov-uz counts %d, want 1 (its own case only)", got)
	}
	before := e.Store.Statements()
	count(w.cm)
	if n := e.Store.Statements() - before; n != 0 {
		t.Errorf("a cached count ran %d statements", n)
	}
	e.Query(t, w.cm, createReturnee, map[string]any{"in": newReturneeInput()}).Decode(t, &struct{}{})
	if got := count(w.cm); got != 2 {
		t.Errorf("after creating a case gov-kz counts %d, want 2", got)
	}
	if got := count(w.cmUZ); got != 1 {
		t.Errorf("gov-uz counts %d after gov-kz's new case, want 1", got)
	}
}
