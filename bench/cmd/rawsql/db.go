package main

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// row is one result row by column name (the SQL aliases are the JSON keys).
type row = map[string]any

// db runs a query and returns its rows. On PostgreSQL it is pgx's pool
// directly (the floor: no database/sql, no ORM); on SQLite database/sql
// with the same driver rdrr uses.
type db interface {
	query(ctx context.Context, q string, args []any) ([]row, error)
	postgres() bool
	close()
}

type pgDB struct{ pool *pgxpool.Pool }

func (d pgDB) postgres() bool { return true }

func (d pgDB) close() { d.pool.Close() }

func (d pgDB) query(ctx context.Context, q string, args []any) ([]row, error) {
	rows, err := d.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fields := rows.FieldDescriptions()
	var out []row
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, err
		}
		r := make(row, len(vals))
		for i, v := range vals {
			r[fields[i].Name] = v
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

type sqliteDB struct{ db *sql.DB }

func (d sqliteDB) postgres() bool { return false }

func (d sqliteDB) close() { _ = d.db.Close() }

func (d sqliteDB) query(ctx context.Context, q string, args []any) ([]row, error) {
	rows, err := d.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []row
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := make(row, len(cols))
		for i, v := range vals {
			if b, ok := v.([]byte); ok { // TEXT comes back as bytes
				v = string(b)
			}
			r[cols[i]] = v
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// args collects the parameters of one statement and renders their
// placeholders for the dialect.
type args struct {
	pg bool
	v  []any
}

func (a *args) p(x any) string {
	a.v = append(a.v, x)
	if a.pg {
		return "$" + strconv.Itoa(len(a.v))
	}
	return "?"
}

// in renders "IN (...)" over ids: one array parameter on PostgreSQL, one
// placeholder per ID on SQLite (which has no arrays).
func (a *args) in(ids []string) string {
	if a.pg {
		return "= ANY(" + a.p(ids) + ")"
	}
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.p(id)
	}
	return "IN (" + strings.Join(ph, ", ") + ")"
}

// stmt runs a statement built by build, which renders its SQL with a.
func stmt(ctx context.Context, d db, build func(a *args) string) ([]row, error) {
	a := &args{pg: d.postgres()}
	q := build(a)
	return d.query(ctx, q, a.v)
}
