package store

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rdrr-project/rdrr/internal/pipeline"
	"github.com/rdrr-project/rdrr/internal/testenv/testdb"
)

// schemaTypes selects a value of each column type the schema uses (and of
// the other types pgx's database/sql driver reads in binary), then a row
// of NULLs; otherTypes of types it reads as text.
const schemaTypes = `SELECT * FROM (VALUES
	(true, 7::int2, 70000::int4, 9000000000::int8, 1.5::float4, 2.25::float8,
	 'text'::text, 'varchar'::varchar(20), 'c'::char(3), '{"a": [1, "b"]}'::jsonb, '{"c": null}'::json, '\x00ff10'::bytea,
	 '2024-02-29'::date, '2024-02-29 12:34:56.789'::timestamp, '2024-02-29 12:34:56.789123+02'::timestamptz, 42::oid),
	(NULL::bool, NULL::int2, NULL::int4, NULL::int8, NULL::float4, NULL::float8,
	 NULL::text, NULL::varchar(20), NULL::char(3), NULL::jsonb, NULL::json, NULL::bytea,
	 NULL::date, NULL::timestamp, NULL::timestamptz, NULL::oid)
) AS t(b, i2, i4, i8, f4, f8, txt, vc, ch, jb, js, by, d, ts, tstz, o) WHERE $1::int = 1`

const otherTypes = `SELECT * FROM (VALUES
	(12.50::numeric, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, ARRAY['x', 'y z']::text[], interval '1 day 2 hours'),
	(NULL::numeric, NULL::uuid, NULL::text[], NULL::interval)
) AS t(num, u, arr, iv) WHERE $1::int = 1`

// scanAll reads rows as database/sql hands them to ent: each column
// scanned into an any, which keeps the driver's value as it is.
func scanAll(t *testing.T, rows *sql.Rows) (cols []string, out [][]any) {
	t.Helper()
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return cols, out
}

// A pipelined result must scan into exactly what the same query read
// through database/sql gives: ent's scanning depends on those values.
func TestPipelinedRowsScanLikeDatabaseSQL(t *testing.T) {
	testdb.EachStore(t, func(t *testing.T, s testdb.Store) {
		ctx := context.Background()
		st, err := Open(ctx, s.URL, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if s.Name != "postgres" {
			if st.drv.Pipelines() {
				t.Fatal("statements on SQLite are pipelined: SQLite has no pipeline to send them in")
			}
			return
		}
		for _, q := range []string{schemaTypes, otherTypes} {
			direct, err := st.DB.QueryContext(ctx, q, 1)
			if err != nil {
				t.Fatal(err)
			}
			wantCols, want := scanAll(t, direct)
			// Twice in one batch: the second result must not share the
			// first's buffers (pgx reuses them from row to row).
			a := &pipeline.Statement{Query: q, Args: []any{1}}
			b := &pipeline.Statement{Query: q, Args: []any{1}}
			st.drv.batches.SendBatch(ctx, []*pipeline.Statement{a, b})
			for _, got := range []*pipeline.Statement{a, b} {
				if got.Err != nil {
					t.Fatal(got.Err)
				}
				cols, rows := scanAll(t, got.Rows.(*sql.Rows))
				if !reflect.DeepEqual(cols, wantCols) {
					t.Fatalf("columns %v, want %v", cols, wantCols)
				}
				if len(rows) != 2 {
					t.Fatalf("%d rows, want 2", len(rows))
				}
				for r := range rows {
					for i, col := range cols {
						if !reflect.DeepEqual(rows[r][i], want[r][i]) {
							t.Errorf("row %d, %s: pipelined %#v (%T), database/sql %#v (%T)", r, col, rows[r][i], rows[r][i], want[r][i], want[r][i])
						}
					}
				}
			}
		}
		// The schema's types are read from the batch itself, not sent again.
		only := &pipeline.Statement{Query: schemaTypes, Args: []any{1}}
		if err := st.drv.batches.send(ctx, []*pipeline.Statement{only}); err != nil || only.Err != nil {
			t.Fatalf("the schema's types in a batch: %v, %v", err, only.Err)
		}
		only.Rows.(*sql.Rows).Close()
		if n := st.Batches(); n != 2 {
			t.Errorf("Batches() = %d after two batches", n)
		}
	})
}

// A statement that fails in a batch fails with PostgreSQL's error; the
// statements after it in the batch fail too (PostgreSQL skips them), the
// ones before keep their results, and the connection serves the next batch.
func TestPipelinedErrors(t *testing.T) {
	testdb.EachStore(t, func(t *testing.T, s testdb.Store) {
		ctx := context.Background()
		st, err := Open(ctx, s.URL, Options{MaxOpenConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if s.Name != "postgres" {
			if st.drv.batches != nil {
				t.Fatal("a SQLite store has a batch sender")
			}
			return
		}
		ok := &pipeline.Statement{Query: `SELECT $1::int`, Args: []any{1}}
		bad := &pipeline.Statement{Query: `SELECT 1 / $1::int`, Args: []any{0}}
		after := &pipeline.Statement{Query: `SELECT $1::int`, Args: []any{3}}
		st.drv.batches.SendBatch(ctx, []*pipeline.Statement{ok, bad, after})
		if ok.Err != nil {
			t.Errorf("the statement before the failing one: %v", ok.Err)
		} else if _, rows := scanAll(t, ok.Rows.(*sql.Rows)); len(rows) != 1 || rows[0][0] != int64(1) {
			t.Errorf("the statement before the failing one gave %v", rows)
		}
		var pgErr *pgconn.PgError
		if !errors.As(bad.Err, &pgErr) || pgErr.Code != "22012" {
			t.Errorf("the failing statement: %v, want division_by_zero (22012)", bad.Err)
		}
		if after.Err == nil {
			t.Error("the statement after the failing one has a result: PostgreSQL should have skipped it")
		}
		// The one connection of the pool is usable again.
		again := &pipeline.Statement{Query: `SELECT $1::int`, Args: []any{4}}
		st.drv.batches.SendBatch(ctx, []*pipeline.Statement{again})
		if again.Err != nil {
			t.Fatalf("the next batch on the same connection: %v", again.Err)
		}
		if _, rows := scanAll(t, again.Rows.(*sql.Rows)); len(rows) != 1 || rows[0][0] != int64(4) {
			t.Errorf("the next batch gave %v", rows)
		}
	})
}
