// Package rules holds the ent privacy rules: which rows a viewer may see and
// which mutations they may make. They run inside ent for every query and
// mutation (top-level lists, edges, eager loads, node(id:), counts), so no
// resolver can forget them. Category decisions come from the viewer's
// permission set, computed once per policy version by authz; these rules only
// read it.
package rules

import (
	"strings"
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
//
// It is the row rule of nearly every query (a case's dozen edges, each
// page's cases), so its SQL is written from text prepared once rather than
// built from selectors on every query: building the EXISTS subquery
// (quoting each identifier anew) was about 4% of the server's CPU on one
// case in full. A test holds it to the same predicate built the usual way
// (teamPredicateBuilt, rows_sql_test.go): the same SQL and arguments.
func teamPredicate(s *sql.Selector, col string, org gid.ID) *sql.Predicate {
	return teamExists(s.C(col), org, now())
}

// teamExists is teamPredicate for the case ID in the quoted column outer.
func teamExists(outer string, org gid.ID, at time.Time) *sql.Predicate {
	return sql.P(func(b *sql.Builder) {
		b.WriteString(teamSQL[0]).WriteString(outer).WriteString(teamSQL[1]).Arg(string(org)).
			WriteString(teamSQL[2]).Arg(at).WriteString(teamSQL[3]).Arg(at).WriteString(teamSQL[4])
	})
}

// teamSQL is the text of teamPredicate around the outer column and the
// three arguments (organisation, time, time).
var teamSQL = func() [5]string {
	const t = "rdrr_team"
	return [5]string{
		"EXISTS (SELECT " + quoted(t, caseteammember.FieldID) + " FROM " + quoted(caseteammember.Table) + " AS " + quoted(t) +
			" WHERE " + quoted(t, caseteammember.FieldReturneeID) + " = ",
		" AND (" + quoted(t, caseteammember.FieldOrganisationID) + " = ",
		" AND " + quoted(t, caseteammember.FieldSince) + " <= ",
		" AND (" + quoted(t, caseteammember.FieldUntil) + " IS NULL OR " + quoted(t, caseteammember.FieldUntil) + " > ",
		")))",
	}
}()

// quoted is the identifier parts (table or alias, column) quoted and
// joined with dots. Double quotes are read alike by PostgreSQL and SQLite.
func quoted(parts ...string) string {
	return `"` + strings.Join(parts, `"."`) + `"`
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
// holds at least one returnee whose case org is on. Like teamPredicate it
// is written from prepared text (held by a test to householdVisibleBuilt,
// the same rule built from selectors).
func householdVisible(col string, org gid.ID) func(*sql.Selector) {
	return func(s *sql.Selector) { s.Where(householdExists(s.C(col), org, now())) }
}

// householdExists is householdVisible for the household ID in the quoted
// column outer.
func householdExists(outer string, org gid.ID, at time.Time) *sql.Predicate {
	team := teamExists(householdSQL[2], org, at)
	return sql.P(func(b *sql.Builder) {
		b.WriteString(householdSQL[0]).WriteString(outer).WriteString(householdSQL[1]).Join(team).WriteString(")")
	})
}

// householdSQL is the text of householdExists before and after the outer
// column, and the quoted ID column of its returnees.
var householdSQL = func() [3]string {
	const r = "rdrr_hh_ret"
	return [3]string{
		"EXISTS (SELECT " + quoted(r, returnee.FieldID) + " FROM " + quoted(returnee.Table) + " AS " + quoted(r) +
			" WHERE " + quoted(r, returnee.FieldHouseholdID) + " = ",
		" AND ",
		quoted(r, returnee.FieldID),
	}
}()

// nothing is a predicate no row satisfies. It is used instead of an error
// when a category is denied, so that eager loads of a denied edge come back
// empty (and the resolver reports FORBIDDEN) rather than failing the parent.
func nothing(s *sql.Selector) { s.Where(sql.False()) }

var _ = household.Table
