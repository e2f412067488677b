package server_test

import (
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

const caseEdgesQuery = `query($id: ID!) { node(id: $id) { ... on Returnee {
  id familyName
  caseTeam { totalCount edges { node { basis organisation { slug } } } }
  documents { totalCount edges { node { type status } } }
  legalRecords { totalCount edges { node { kind summary } } }
  medicalRecords { totalCount edges { node { kind summary } } }
  theologicalRecords { totalCount edges { node { summary } } }
  riskAssessments { totalCount edges { node { level summary } } }
  interventions { totalCount edges { node { type status provider { slug } } } }
  consents { totalCount edges { node { purpose } } }
  timeline(first: 50) { edges { node { kind category } } }
} } }`

// TestCaseEdgesGoTogether opens one case with a dozen edges and its
// timeline. On PostgreSQL the edges' statements go to the database as one
// batch (internal/pipeline) and the timeline's two sources as another, so
// the case costs far fewer round trips than statements; on SQLite nothing
// is batched. Either way every edge is there.
func TestCaseEdgesGoTogether(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		e := testenv.Start(t, s.URL, func(c *server.Config) { c.PolicyPoll = time.Hour })
		gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
		ngo := e.Org(t, "ngo-kz", organisation.KindNGO, "KZ")
		e.User(t, "cm@gov.example", gov, domain.RoleCaseManager)
		author := e.User(t, "legal@gov.example", gov, domain.RoleLegalOfficer)
		r := e.Case(t, gov, testenv.CaseOpts{Family: "Pipelined"}, ngo)
		e.AllRecords(t, r, author)
		tok := e.Token(t, "cm@gov.example")
		vars := map[string]any{"id": string(r.ID)}
		e.Query(t, tok, caseEdgesQuery, vars) // warm caches (token, query, organisations)
		st0, b0, p0 := e.Store.Statements(), e.Store.Batches(), e.Store.Pipelined()
		res := e.Query(t, tok, caseEdgesQuery, vars)
		statements, batches, pipelined := e.Store.Statements()-st0, e.Store.Batches()-b0, e.Store.Pipelined()-p0

		type conn struct {
			TotalCount int
			Edges      []any
		}
		var data struct {
			Node struct {
				CaseTeam, Documents, LegalRecords, MedicalRecords, TheologicalRecords, RiskAssessments, Interventions conn
				Timeline                                                                                              struct{ Edges []any }
			}
		}
		res.Decode(t, &data)
		n := data.Node
		for name, c := range map[string]conn{
			"documents": n.Documents, "legalRecords": n.LegalRecords, "medicalRecords": n.MedicalRecords,
			"theologicalRecords": n.TheologicalRecords, "riskAssessments": n.RiskAssessments, "interventions": n.Interventions,
		} {
			if c.TotalCount != 1 || len(c.Edges) != 1 {
				t.Errorf("%s: %d edges of %d, want the case's one record", name, len(c.Edges), c.TotalCount)
			}
		}
		if n.CaseTeam.TotalCount != 2 || len(n.CaseTeam.Edges) != 2 {
			t.Errorf("caseTeam: %d members of %d, want 2", len(n.CaseTeam.Edges), n.CaseTeam.TotalCount)
		}
		if len(n.Timeline.Edges) == 0 {
			t.Error("the timeline is empty")
		}

		roundTrips := statements - pipelined + batches
		t.Logf("%s: %d statements in %d round trips (%d in %d batches)", s.Name, statements, roundTrips, pipelined, batches)
		if s.Name != "postgres" {
			if batches != 0 || pipelined != 0 {
				t.Errorf("SQLite sent %d statements in %d batches", pipelined, batches)
			}
			return
		}
		// The eight edges' statements in one batch, the timeline's two in another.
		if batches < 2 || pipelined < 10 {
			t.Errorf("%d statements in %d batches, want the edges' and the timeline's at least (10 in 2)", pipelined, batches)
		}
		if roundTrips*2 > statements {
			t.Errorf("%d statements took %d round trips: the edges were not sent together", statements, roundTrips)
		}
	})
}
