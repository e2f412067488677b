package store

import (
	"context"
	"strings"

	"entgo.io/ent/dialect"
	"github.com/jackc/pgx/v5"
)

type customPlansKey struct{}

// WithCustomPlans returns ctx under which PostgreSQL plans the statements
// that select from table (at their top level) for their actual arguments
// instead of reusing a generic plan.
//
// pgx prepares each statement once per connection, and after five runs
// PostgreSQL may switch that statement to a generic plan, chosen for
// average arguments. For case lists the arguments are anything but
// average: an organisation on 55000 cases and one on 50, a filter matching
// a fifth of the table and one matching a handful. The generic plan of the
// filtered search (measured on the 100000-case seed) fetched every case of
// the filter and sorted them, 6 to 49 ms, where the plan for the actual
// arguments walks the (phase, custody, citizenship, id) index in page order
// and stops after one page, about 1 ms. Planning every time costs a parse
// and a plan (0.1 to 0.3 ms), so only the statements of table are planned
// so: a case list's page and count, not the eager loads of its edges
// (selected by the IDs of the page, for which a generic plan is right).
func WithCustomPlans(ctx context.Context, table string) context.Context {
	return context.WithValue(ctx, customPlansKey{}, table)
}

// customPlans reports whether ctx asks for custom plans for query.
func customPlans(ctx context.Context, query string) bool {
	table, ok := ctx.Value(customPlansKey{}).(string)
	return ok && topTable(query) == table
}

// topTable is the table of a statement's first FROM clause, unquoted: for
// the SELECTs ent writes, the table the statement selects from (subqueries
// and CTEs of other tables come later in the text or start it with WITH).
func topTable(query string) string {
	if !strings.HasPrefix(query, "SELECT ") {
		return ""
	}
	_, rest, ok := strings.Cut(query, ` FROM "`)
	if !ok {
		return ""
	}
	table, _, _ := strings.Cut(rest, `"`)
	return table
}

// planArgs prepends pgx's describe-only execution mode to args when ctx
// asks for custom plans on PostgreSQL: the statement then runs as PostgreSQL's
// unnamed statement, planned at every execution with its arguments, still
// in one round trip (its description is cached). database/sql hands the
// value to pgx untouched (pgx's stdlib accepts any argument), and pgx reads
// leading arguments of this type as options, not parameters.
func (d *driver) planArgs(ctx context.Context, query string, args any) any {
	if d.Dialect() != dialect.Postgres || !customPlans(ctx, query) {
		return args
	}
	list, ok := args.([]any)
	if !ok {
		return args
	}
	return append([]any{pgx.QueryExecModeCacheDescribe}, list...)
}
