// Package rules holds the ent privacy rules: which rows a viewer may see and
// which mutations they may make. They run inside ent for every query and
// mutation (top-level lists, edges, eager loads, node(id:), counts), so no
// resolver can forget them. Category decisions come from the viewer's
// permission set, computed once per policy version by authz; these rules only
// read it.
package rules

import (
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rdrr-project/rdrr/ent/caseteammember"
	"github.com/rdrr-project/rdrr/ent/household"
	"github.com/rdrr-project/rdrr/ent/predicate"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// now is the clock of the row rules; tests may move it.
var now = func() time.Time { return time.Now().UTC() }

// teamPredicate is onTeam as a predicate value, for combining with OR.
func teamPredicate(s *sql.Selector, col string, org gid.ID) *sql.Predicate {
	t := sql.Table(caseteammember.Table).As("rdrr_team")
	return sql.Exists(
		sql.Select(t.C(caseteammember.FieldID)).From(t).Where(sql.And(
			sql.ColumnsEQ(t.C(caseteammember.FieldReturneeID), s.C(col)),
			currentMember(t.C, org, now()),
		)),
	)
}

// currentMember is true of a case team row (its columns named by c) that
// puts org on the team at time at: the one definition of "on the team now",
// shared by the row rule (teamPredicate), the team test of mutations
// (OnTeam) and the count of a caseload (CountCases).
func currentMember(c func(string) string, org gid.ID, at time.Time) *sql.Predicate {
	return sql.And(
		sql.EQ(c(caseteammember.FieldOrganisationID), string(org)),
		sql.LTE(c(caseteammember.FieldSince), at),
		sql.Or(sql.IsNull(c(caseteammember.FieldUntil)), sql.GT(c(caseteammember.FieldUntil), at)),
	)
}

// isCurrentMember is currentMember as a predicate of case team queries.
func isCurrentMember(org gid.ID, at time.Time) predicate.CaseTeamMember {
	return func(s *sql.Selector) { s.Where(currentMember(s.C, org, at)) }
}

// onTeam returns a predicate true when the returnee whose ID is in column
// col of the selected table has org on its case team now. It is a correlated
// EXISTS so that a page of 50 cases costs 50 index probes, not a scan of the
// organisation's whole caseload.
func onTeam(col string, org gid.ID) func(*sql.Selector) {
	return func(s *sql.Selector) { s.Where(teamPredicate(s, col, org)) }
}

// householdVisible is true when the household whose ID is in column col
// holds at least one returnee whose case org is on.
func householdVisible(col string, org gid.ID) func(*sql.Selector) {
	return func(s *sql.Selector) {
		r := sql.Table(returnee.Table).As("rdrr_hh_ret")
		inner := sql.Select(r.C(returnee.FieldID)).From(r)
		inner.Where(sql.ColumnsEQ(r.C(returnee.FieldHouseholdID), s.C(col)))
		onTeam(returnee.FieldID, org)(inner)
		s.Where(sql.Exists(inner))
	}
}

// nothing is a predicate no row satisfies. It is used instead of an error
// when a category is denied, so that eager loads of a denied edge come back
// empty (and the resolver reports FORBIDDEN) rather than failing the parent.
func nothing(s *sql.Selector) { s.Where(sql.False()) }

var _ = household.Table
