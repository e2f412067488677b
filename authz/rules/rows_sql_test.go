package rules

import (
	"reflect"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/rdrr-project/rdrr/ent/caseteammember"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// The row rule written from prepared text must be the rule built from
// selectors, on both stores, whatever the table it tests.
func TestTeamPredicateIsTheBuiltPredicate(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	org := gid.ID("org_0000000000000000000000000a")
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		for _, c := range []struct{ table, col string }{{"returnees", "id"}, {"documents", "returnee_id"}} {
			t.Run(d+"/"+c.table, func(t *testing.T) {
				render := func(p func(*sql.Selector) *sql.Predicate) (string, []any) {
					s := sql.Dialect(d).Select("*").From(sql.Table(c.table))
					s.Where(p(s))
					return s.Query()
				}
				wantSQL, wantArgs := render(func(s *sql.Selector) *sql.Predicate { return teamPredicateBuilt(s, c.col, org, at) })
				gotSQL, gotArgs := render(func(s *sql.Selector) *sql.Predicate { return teamExists(s.C(c.col), org, at) })
				if d == dialect.SQLite {
					// the built form quotes with backticks, the prepared one with
					// double quotes, which SQLite reads alike
					wantSQL, gotSQL = backticksToQuotes(wantSQL), backticksToQuotes(gotSQL)
				}
				if gotSQL != wantSQL || !reflect.DeepEqual(gotArgs, wantArgs) {
					t.Errorf("prepared:\n%s %v\nbuilt:\n%s %v", gotSQL, gotArgs, wantSQL, wantArgs)
				}
			})
		}
	}
}

// The same for the household rule, which nests the team rule.
func TestHouseholdVisibleIsTheBuiltPredicate(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	org := gid.ID("org_0000000000000000000000000a")
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		for _, c := range []struct{ table, col string }{{"households", "id"}, {"household_members", "household_id"}} {
			t.Run(d+"/"+c.table, func(t *testing.T) {
				render := func(p func(*sql.Selector)) (string, []any) {
					s := sql.Dialect(d).Select("*").From(sql.Table(c.table))
					s.Where(sql.EQ(s.C("id"), "x")) // the rule joins what is there
					p(s)
					q, args := s.Query()
					return backticksToQuotes(q), args
				}
				wantSQL, wantArgs := render(householdVisibleBuilt(c.col, org, at))
				gotSQL, gotArgs := render(func(s *sql.Selector) { s.Where(householdExists(s.C(c.col), org, at)) })
				if gotSQL != wantSQL || !reflect.DeepEqual(gotArgs, wantArgs) {
					t.Errorf("prepared:\n%s %v\nbuilt:\n%s %v", gotSQL, gotArgs, wantSQL, wantArgs)
				}
			})
		}
	}
}

// teamPredicateBuilt is teamPredicate built from selectors.
func teamPredicateBuilt(s *sql.Selector, col string, org gid.ID, at time.Time) *sql.Predicate {
	t := sql.Table(caseteammember.Table).As("rdrr_team")
	return sql.Exists(
		sql.Select(t.C(caseteammember.FieldID)).From(t).Where(sql.And(
			sql.ColumnsEQ(t.C(caseteammember.FieldReturneeID), s.C(col)),
			currentMember(t.C, org, at),
		)),
	)
}

// householdVisibleBuilt is householdVisible built from selectors.
func householdVisibleBuilt(col string, org gid.ID, at time.Time) func(*sql.Selector) {
	return func(s *sql.Selector) {
		r := sql.Table(returnee.Table).As("rdrr_hh_ret")
		inner := sql.Select(r.C(returnee.FieldID)).From(r)
		inner.Where(sql.ColumnsEQ(r.C(returnee.FieldHouseholdID), s.C(col)))
		inner.Where(teamPredicateBuilt(inner, returnee.FieldID, org, at))
		s.Where(sql.Exists(inner))
	}
}

func backticksToQuotes(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == '`' {
			b[i] = '"'
		}
	}
	return string(b)
}
