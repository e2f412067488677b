package ent

import (
	"reflect"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/ent/repatriationoperation"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// TestPlainLookupSeesEveryEdgeLoad: the reference-data cache answers only
// a plain lookup by ID, and plainLookup names the query's edge loads one by
// one. Every With method of the two query types (found by reflection, so an
// edge added to the schema later is covered) must make the query no longer
// plain; so must the other ways of asking for more or other rows.
func TestPlainLookupSeesEveryEdgeLoad(t *testing.T) {
	c := NewClient(Driver(entsql.OpenDB(dialect.Postgres, nil))) // builds queries, never runs one
	ids := []gid.ID{"org_1"}
	orgs := func() *OrganisationQuery { return c.Organisation.Query().Where(organisation.IDIn(ids...)) }
	ops := func() *RepatriationOperationQuery {
		return c.RepatriationOperation.Query().Where(repatriationoperation.IDIn(ids...))
	}
	if !orgs().plainLookup() || !ops().plainLookup() {
		t.Fatal("the loaders' lookup by ID is not plain")
	}
	checkWithMethods(t, func() plainChecker { return orgs() })
	checkWithMethods(t, func() plainChecker { return ops() })
	others := map[string]plainChecker{
		"organisations: a second predicate": orgs().Where(organisation.Country("KZ")),
		"organisations: an order":           orgs().Order(Asc(organisation.FieldName)),
		"organisations: a limit":            orgs().Limit(1),
		"organisations: an offset":          orgs().Offset(1),
		"organisations: not unique":         orgs().Unique(false),
		"organisations: for update":         orgs().ForUpdate(),
		"operations: a second predicate":    ops().Where(repatriationoperation.Country("KZ")),
		"operations: a limit":               ops().Limit(1),
		"operations: for update":            ops().ForUpdate(),
	}
	for name, q := range others {
		if q.plainLookup() {
			t.Errorf("%s: still a plain lookup", name)
		}
	}
}

type plainChecker interface{ plainLookup() bool }

// checkWithMethods calls every With method of the query fresh returns, on
// a fresh query each time, and expects plainLookup to be false after it.
func checkWithMethods(t *testing.T, fresh func() plainChecker) {
	t.Helper()
	typ := reflect.TypeOf(fresh())
	n := 0
	for i := 0; i < typ.NumMethod(); i++ {
		m := typ.Method(i)
		if !strings.HasPrefix(m.Name, "With") {
			continue
		}
		q := reflect.ValueOf(fresh())
		var args []reflect.Value
		if m.Type.NumIn() > 1 && m.Type.In(1).Kind() == reflect.String { // WithNamedX(name, opts...)
			args = append(args, reflect.ValueOf("edge"))
		}
		out := q.Method(i).Call(args)
		if out[0].Interface().(plainChecker).plainLookup() {
			t.Errorf("%s.%s: still a plain lookup, so the cache would answer it without the edge", typ.Elem().Name(), m.Name)
		}
		n++
	}
	if n == 0 {
		t.Errorf("%s: no With methods found", typ.Elem().Name())
	}
}
