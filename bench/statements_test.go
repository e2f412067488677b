package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestStatementsDoNotDependOnPageSize counts the SQL statements each read
// operation of the suite (bench/queries) costs at page sizes 10 and 50 and
// fails when they differ: every edge is loaded for the whole page at once,
// never once per row. The counts are logged for bench/RESULTS.md
// (go test ./bench -run Statements -v).
func TestStatementsDoNotDependOnPageSize(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		// No count cache: every request counts its totals, so the figures
		// are the statements of a cold request. No policy polling between.
		e := testenv.Start(t, s.URL, func(c *server.Config) { c.PolicyPoll = time.Hour; c.CountCacheTTL = 0 })
		w := statementsWorld(t, e)
		for _, op := range []struct {
			name string
			vars map[string]any
		}{
			{name: "dashboard"},
			{name: "case", vars: map[string]any{"id": string(w.full.ID)}},
			{name: "search", vars: map[string]any{"phase": "REPATRIATION", "custody": "FAMILY_HOME", "country": "KZ", "prefix": "Family"}},
			{name: "statistics"},
		} {
			t.Run(op.name, func(t *testing.T) {
				q := readFile(t, op.name+".graphql")
				tok := w.caseManager
				if op.name == "statistics" {
					tok = w.analyst
				}
				count := func(n int) (int64, int) {
					vars := map[string]any{"first": n}
					for k, v := range op.vars {
						vars[k] = v
					}
					return statements(t, e, tok, q, vars)
				}
				small, smallBytes := count(10)
				large, largeBytes := count(50)
				t.Logf("%s on %s: %d SQL statements at page size 10, %d at page size 50", op.name, s.Name, small, large)
				// A larger page may need fewer statements (a first page that
				// holds a whole edge gives its total without a count), never more.
				if large > small {
					t.Errorf("%s: statements grow with the page size: %d at 10, %d at 50", op.name, small, large)
				}
				if op.name != "statistics" && largeBytes < 3*smallBytes {
					t.Errorf("%s: the page of 50 (%d bytes) is not much larger than the page of 10 (%d bytes): are the pages full?", op.name, largeBytes, smallBytes)
				}
			})
		}
	})
}

// world is what the statements test reads: 60 cases led by gov-kz with
// one record of every kind each (so a page of 50 is full), one of them
// with 60 of every kind (so the case's connections are full at 50).
type world struct {
	caseManager, analyst string
	full                 *ent.Returnee
}

func statementsWorld(t *testing.T, e *testenv.Env) world {
	gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
	ngo := e.Org(t, "ngo-kz", organisation.KindNGO, "KZ")
	donor := e.Org(t, "donor", organisation.KindINTERNATIONAL_ORGANISATION, "")
	e.User(t, "cm@gov.example", gov, domain.RoleCaseManager)
	e.User(t, "analyst@donor.example", donor, domain.RoleAnalyst)
	author := e.User(t, "legal@gov.example", gov, domain.RoleLegalOfficer)
	var full *ent.Returnee
	for i := 0; i < 60; i++ {
		r := e.Case(t, gov, testenv.CaseOpts{Family: fmt.Sprintf("Family%03d", i)}, ngo)
		e.AllRecords(t, r, author)
		if i == 0 {
			full = r
			for j := 1; j < 60; j++ {
				e.AllRecords(t, r, author)
			}
		}
	}
	return world{caseManager: e.Token(t, "cm@gov.example"), analyst: e.Token(t, "analyst@donor.example"), full: full}
}

// statements returns the SQL statements one request of q costs, and the
// size of its response. The server
// also writes in the background (the audit index, once a second), which
// can only add statements to a window: the fewest over a few tries is the
// request's own count.
func statements(t *testing.T, e *testenv.Env, token, q string, vars map[string]any) (int64, int) {
	t.Helper()
	e.Query(t, token, q, vars) // warm the caches (token, parsed query, policy)
	best, size := int64(-1), 0
	for try := 0; try < 5; try++ {
		before := e.Store.Statements()
		res := e.Query(t, token, q, vars)
		after := e.Store.Statements()
		if len(res.Errors) > 0 {
			t.Fatalf("errors: %s", res.Raw)
		}
		if n := after - before; best < 0 || n < best {
			best = n
		}
		size = len(res.Raw)
	}
	return best, size
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("queries", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}
