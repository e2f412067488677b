package stats

import (
	"fmt"
	"strconv"
	"strings"
)

// The two stores keep dates differently: PostgreSQL has real date columns,
// SQLite keeps UTC text such as "2019-05-10 00:00:00+00:00". Everything
// that differs between them lives in this file, so the query builder
// (query.go) reads the same for both.

const (
	dialectSQLite   = "sqlite3"  // entgo.io/ent/dialect.SQLite
	dialectPostgres = "postgres" // entgo.io/ent/dialect.Postgres
)

// sqlDialect renders the few expressions that differ between the stores.
type sqlDialect struct{ name string }

func newDialect(name string) (sqlDialect, error) {
	switch name {
	case dialectSQLite, dialectPostgres:
		return sqlDialect{name}, nil
	}
	return sqlDialect{}, fmt.Errorf("stats: unsupported dialect %q (want %q or %q)", name, dialectSQLite, dialectPostgres)
}

func (d sqlDialect) postgres() bool { return d.name == dialectPostgres }

// date renders a bound parameter holding a "YYYY-MM-DD" date so that it
// compares with a date column. SQLite compares the stored text directly:
// "2019-05-10 00:00:00+00:00" >= "2019-05-10" and < "2019-05-11", whatever
// follows the date part. (A CAST there would turn the text into a number.)
func (d sqlDialect) date(param string) string {
	if d.postgres() {
		return "CAST(" + param + " AS date)"
	}
	return param
}

// year renders the calendar year of a date column as text ("2019").
func (d sqlDialect) year(col string) string {
	if d.postgres() {
		return "to_char(" + col + ", 'YYYY')"
	}
	return "strftime('%Y', " + col + ")"
}

// daysBetween renders the whole days from earlier to later, never below
// zero: a document issued before the return counts as available on the
// day of return.
func (d sqlDialect) daysBetween(later, earlier string) string {
	if d.postgres() {
		return "GREATEST(0, " + later + " - " + earlier + ")"
	}
	return "MAX(0, CAST(ROUND(julianday(" + later + ") - julianday(" + earlier + ")) AS INTEGER))"
}

// sum renders SUM over an integer expression as a 64-bit integer
// (PostgreSQL's SUM of bigint is numeric).
func (d sqlDialect) sum(expr string) string {
	if d.postgres() {
		return "CAST(SUM(" + expr + ") AS BIGINT)"
	}
	return "SUM(" + expr + ")"
}

// Typed NULLs, for the columns one part of a UNION ALL does not fill
// (PostgreSQL types an untyped NULL as text).
func (d sqlDialect) nullDate() string { return d.typedNull("date") }

func (d sqlDialect) typedNull(typ string) string {
	if d.postgres() {
		return "CAST(NULL AS " + typ + ")"
	}
	return "NULL"
}

// args collects bound parameters and hands out their placeholders. User
// input only ever reaches SQL through here.
type args struct {
	d    sqlDialect
	vals []any
}

func (a *args) add(v any) string {
	a.vals = append(a.vals, v)
	if a.d.postgres() {
		return "$" + strconv.Itoa(len(a.vals))
	}
	return "?"
}

// in renders "expr IN (p1, p2, ...)" with every value bound.
func (a *args) in(expr string, values []string) string {
	ps := make([]string, len(values))
	for i, v := range values {
		ps[i] = a.add(v)
	}
	return expr + " IN (" + strings.Join(ps, ", ") + ")"
}

// quoteList renders fixed, compile-time enum literals (never user input)
// for IN lists in the measure definitions.
func quoteList(vals ...string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + v + "'"
	}
	return strings.Join(q, ", ")
}
