package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/caseteammember"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestUnfilteredCaseCountMatchesTheVisibleCases checks the total of the
// unfiltered case list, which is counted from the case team index
// (rules.CountCases) instead of through the row rule, against the cases
// the list actually returns, on team rows of every kind: current, ended,
// not yet begun, two current rows on one case, and another organisation's.
// The filtered list, counted the ordinary way, must agree too.
func TestUnfilteredCaseCountMatchesTheVisibleCases(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		// No count cache, so every request counts.
		e := testenv.Start(t, s.URL, func(c *server.Config) { c.CountCacheTTL = 0 })
		gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
		ngo := e.Org(t, "ngo-kz", organisation.KindNGO, "KZ")
		e.User(t, "cm@ngo-kz.example", ngo, domain.RoleCaseManager)
		tok := e.Token(t, "cm@ngo-kz.example")
		ctx := viewer.SystemContext(context.Background())
		now := time.Now().UTC()
		member := func(rid gid.ID, since time.Time, until *time.Time, basis caseteammember.Basis) {
			t.Helper()
			c := e.Store.Client.CaseTeamMember.Create().SetReturneeID(rid).SetOrganisationID(ngo.ID).
				SetBasis(basis).SetSince(since).SetNillableUntil(until)
			if err := c.Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		past, future := now.Add(-time.Minute), now.Add(time.Hour)
		for i := 0; i < 3; i++ { // on the team now
			e.Case(t, gov, testenv.CaseOpts{}, ngo)
		}
		twice := e.Case(t, gov, testenv.CaseOpts{Phase: "REINTEGRATION"}, ngo)
		member(twice.ID, now.Add(-time.Hour), &future, caseteammember.BasisBREAK_GLASS)
		ended := e.Case(t, gov, testenv.CaseOpts{})
		member(ended.ID, now.Add(-2*time.Hour), &past, caseteammember.BasisASSIGNED)
		later := e.Case(t, gov, testenv.CaseOpts{})
		member(later.ID, future, nil, caseteammember.BasisASSIGNED)
		e.Case(t, gov, testenv.CaseOpts{}) // gov's alone

		type list struct {
			Returnees struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID string } }
			}
		}
		for _, tc := range []struct {
			name, query string
			want        int
		}{
			{"unfiltered", `{ returnees(first: 100) { totalCount edges { node { id } } } }`, 4},
			{"filtered", `{ returnees(first: 100, where: {phase: REINTEGRATION}) { totalCount edges { node { id } } } }`, 1},
		} {
			var got list
			e.Query(t, tok, tc.query, nil).Decode(t, &got)
			if n := len(got.Returnees.Edges); n != tc.want || got.Returnees.TotalCount != tc.want {
				t.Errorf("%s: %d cases listed, totalCount %d; want %d and %d", tc.name, n, got.Returnees.TotalCount, tc.want, tc.want)
			}
		}
	})
}
