package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// dashboardQuery is the partner-dashboard page: returnees with four nested
// edges (documents, latest risk assessment, active interventions, team).
const dashboardQuery = `query($n: Int!) { returnees(first: $n, orderBy: [{field: FAMILY_NAME}]) { totalCount edges { node {
  id givenName familyName phase
  documents { edges { node { type status } } }
  riskAssessments(first: 1, orderBy: [{field: RECORDED_ON, direction: DESC}]) { edges { node { level summary } } }
  interventions(where: {status: ACTIVE}) { totalCount edges { node { type status } } }
  caseTeam { edges { node { basis organisation { slug } } } }
} } } }`

// TestNestedEdgesDoNotQueryPerParent counts the SQL statements of a page of
// returnees with four nested edges and asserts the count does not grow with
// the page size: nested edges are loaded with one query per edge, not one
// per parent row.
func TestNestedEdgesDoNotQueryPerParent(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		e := testenv.Start(t, s.URL, func(c *server.Config) { c.PolicyPoll = time.Hour })
		gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
		ngo := e.Org(t, "ngo-kz", organisation.KindNGO, "KZ")
		e.User(t, "cm@gov.example", gov, domain.RoleCaseManager)
		author := e.User(t, "legal@gov.example", gov, domain.RoleLegalOfficer)
		for i := 0; i < 60; i++ {
			r := e.Case(t, gov, testenv.CaseOpts{Family: fmt.Sprintf("Family%03d", i)}, ngo)
			e.AllRecords(t, r, author)
		}
		tok := e.Token(t, "cm@gov.example")
		count := func(n int) int64 {
			e.Query(t, tok, dashboardQuery, map[string]any{"n": n}) // warm caches (token, query)
			before := e.Store.Statements()
			res := e.Query(t, tok, dashboardQuery, map[string]any{"n": n})
			after := e.Store.Statements()
			var data struct {
				Returnees struct {
					Edges []struct {
						Node struct {
							Documents       struct{ Edges []any }
							RiskAssessments struct{ Edges []any }
							Interventions   struct{ Edges []any }
							CaseTeam        struct{ Edges []any }
						}
					}
				}
			}
			res.Decode(t, &data)
			if got := len(data.Returnees.Edges); got != n {
				t.Fatalf("page of %d has %d returnees", n, got)
			}
			for _, ed := range data.Returnees.Edges {
				nd := ed.Node
				if len(nd.Documents.Edges) != 1 || len(nd.RiskAssessments.Edges) != 1 || len(nd.Interventions.Edges) != 1 || len(nd.CaseTeam.Edges) != 2 {
					t.Fatalf("nested edges incomplete: %+v", nd)
				}
			}
			return after - before
		}
		small, large := count(10), count(50)
		t.Logf("SQL statements: page of 10: %d, page of 50: %d", small, large)
		if small != large {
			t.Errorf("statements grow with page size: %d for 10, %d for 50", small, large)
		}
		if large > 12 {
			t.Errorf("page of 50 took %d statements, want at most 12", large)
		}
	})
}
