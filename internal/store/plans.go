package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

type customPlansKey struct{}

// WithCustomPlans returns ctx under which PostgreSQL plans every statement
// for its actual arguments instead of reusing a generic plan.
//
// pgx prepares each statement once per connection, and after five runs
// PostgreSQL may switch that statement to a generic plan, chosen for
// average arguments. For case lists the arguments are anything but
// average: an organisation on 55000 cases and one on 50, a filter matching
// a fifth of the table and one matching a handful. The generic plan of the
// filtered search (measured on the 100000-case seed) fetched every case of
// the filter and sorted them, 6 to 49 ms, where the plan for the actual
// arguments walks the (phase, custody, citizenship, id) index in page order
// and stops after one page, about 1 ms. Re-planning costs a fraction of a
// millisecond, so it is asked for only where plans depend on the arguments;
// everything else keeps its prepared generic plan.
func WithCustomPlans(ctx context.Context) context.Context {
	return context.WithValue(ctx, customPlansKey{}, true)
}

func customPlans(ctx context.Context) bool {
	ok, _ := ctx.Value(customPlansKey{}).(bool)
	return ok
}

// planArgs prepends pgx's describe-only execution mode to args when ctx
// asks for custom plans on PostgreSQL: the statement then runs as PostgreSQL's
// unnamed statement, planned at every execution with its arguments, still
// in one round trip (its description is cached). database/sql hands the
// value to pgx untouched (pgx's stdlib accepts any argument), and pgx reads
// leading arguments of this type as options, not parameters.
func (d *driver) planArgs(ctx context.Context, args any) any {
	if !d.postgres || !customPlans(ctx) {
		return args
	}
	list, ok := args.([]any)
	if !ok {
		return args
	}
	return append([]any{pgx.QueryExecModeCacheDescribe}, list...)
}
