package store

import (
	"bytes"
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rdrr-project/rdrr/internal/pipeline"
)

// pgBatches sends the statements of a pipeline round (internal/pipeline)
// to PostgreSQL as one pgx batch on one connection of db: one write, one
// round trip, one implicit transaction. Each result is read into memory
// and handed back as a *sql.Rows (bufferedRows), so ent scans it exactly
// as it scans a result of database/sql.
type pgBatches struct {
	db *sql.DB
	// The store's counts of batches and of the statements sent in them.
	batches, pipelined *atomic.Int64
}

var _ pipeline.Sender = (*pgBatches)(nil)

// SendBatch implements pipeline.Sender.
func (b *pgBatches) SendBatch(ctx context.Context, stmts []*pipeline.Statement) {
	b.batches.Add(1)
	b.pipelined.Add(int64(len(stmts)))
	err := b.send(ctx, stmts)
	if err != nil && pgconn.SafeToRetry(err) {
		// Nothing reached the server (a connection found broken): once
		// more, on another connection, as database/sql would.
		err = b.send(ctx, stmts)
	}
	for _, s := range stmts {
		switch {
		case errors.Is(s.Err, errTextOnly):
			// Sent again on its own, after the batch's connection is back
			// in the pool (which may hold only that one).
			s.Err = nil
			s.Rows, s.Err = b.db.QueryContext(ctx, s.Query, s.Args...)
		case err != nil && s.Rows == nil && s.Err == nil:
			s.Err = err
		}
	}
}

func (b *pgBatches) send(ctx context.Context, stmts []*pipeline.Statement) error {
	conn, err := b.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipelining needs pgx's database/sql driver, not %T", dc)
		}
		pc := sc.Conn()
		batch := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(stmts))}
		for _, s := range stmts {
			batch.Queue(s.Query, s.Args...)
		}
		br := pc.SendBatch(ctx, batch)
		for _, s := range stmts {
			rows, err := br.Query()
			if err != nil {
				s.Err = err
				continue
			}
			s.Rows, s.Err = bufferRows(rows, pc.TypeMap())
		}
		err := br.Close()
		if pc.IsClosed() {
			// database/sql discards a connection whose Raw returns ErrBadConn.
			return errors.Join(sqldriver.ErrBadConn, err)
		}
		if err != nil && pgconn.SafeToRetry(err) {
			return err
		}
		return nil
	})
}

// bufferRows reads rows to the end into a *sql.Rows of bufferedDB, with
// the values pgx's database/sql driver would have given for each column.
func bufferRows(rows pgx.Rows, m *pgtype.Map) (*sql.Rows, error) {
	defer rows.Close()
	fields := rows.FieldDescriptions()
	for _, fd := range fields {
		if fd.Format == pgtype.BinaryFormatCode && !sameInBinary[fd.DataTypeOID] {
			return nil, errTextOnly
		}
	}
	b := &bufferedRows{cols: make([]string, len(fields)), values: make([]valueFunc, len(fields))}
	for i, fd := range fields {
		b.cols[i] = fd.Name
		b.values[i] = driverValue(m, fd)
	}
	for rows.Next() {
		row := make([]sqldriver.Value, len(fields))
		for i, raw := range rows.RawValues() {
			if raw == nil {
				continue
			}
			v, err := b.values[i](raw)
			if err != nil {
				return nil, fmt.Errorf("reading column %s: %w", b.cols[i], err)
			}
			row[i] = v
		}
		b.rows = append(b.rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// No cancellation to watch for in memory: with a context that has no
	// Done channel database/sql starts no goroutine for the rows.
	return bufferedDB.QueryContext(context.Background(), "", b)
}

// sameInBinary are the types whose binary result database/sql would also
// be given (pgx's stdlib asks for binary results of exactly the intrinsic
// types below), or whose binary form is their text (text, varchar, char,
// name) or decodes to the same bytes (json, jsonb). The rows ent reads
// have only these (internal/store/migrations); pgx sends a batch's results
// in binary wherever it can decode the type, and for any other type
// (arrays, uuid, numeric, interval...) stdlib would read the text form,
// which a batch cannot ask for: such a statement is sent again on its own.
var sameInBinary = map[uint32]bool{
	pgtype.BoolOID: true, pgtype.ByteaOID: true, pgtype.CIDOID: true, pgtype.DateOID: true,
	pgtype.Float4OID: true, pgtype.Float8OID: true, pgtype.Int2OID: true, pgtype.Int4OID: true,
	pgtype.Int8OID: true, pgtype.OIDOID: true, pgtype.TimestampOID: true, pgtype.TimestamptzOID: true,
	pgtype.XIDOID: true, pgtype.TextOID: true, pgtype.VarcharOID: true, pgtype.BPCharOID: true,
	pgtype.NameOID: true, pgtype.JSONOID: true, pgtype.JSONBOID: true,
}

// errTextOnly marks a result with a column sameInBinary does not hold.
var errTextOnly = errors.New("store: a column of the result needs the text format")

// valueFunc turns a column's wire value into a database/sql value.
type valueFunc func(raw []byte) (sqldriver.Value, error)

// driverValue is what pgx's stdlib.Rows.Next does for a column of fd's
// type (pgx v5.12.0, stdlib/sql.go, initValueFuncs), so that a pipelined
// result scans like one read through database/sql. Byte slices are copied:
// pgx reuses its buffers from row to row, and these rows are all kept.
func driverValue(m *pgtype.Map, fd pgconn.FieldDescription) valueFunc {
	oid, format := fd.DataTypeOID, fd.Format
	switch oid {
	case pgtype.BoolOID:
		return scanned[bool](m, oid, format, func(d bool) (sqldriver.Value, error) { return d, nil })
	case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
		return scanned[[]byte](m, oid, format, func(d []byte) (sqldriver.Value, error) { return bytes.Clone(d), nil })
	case pgtype.CIDOID, pgtype.OIDOID, pgtype.XIDOID:
		return scanned[pgtype.Uint32](m, oid, format, func(d pgtype.Uint32) (sqldriver.Value, error) { return d.Value() })
	case pgtype.DateOID:
		return scanned[pgtype.Date](m, oid, format, func(d pgtype.Date) (sqldriver.Value, error) { return d.Value() })
	case pgtype.Float4OID:
		return scanned[float32](m, oid, format, func(d float32) (sqldriver.Value, error) { return float64(d), nil })
	case pgtype.Float8OID:
		return scanned[float64](m, oid, format, func(d float64) (sqldriver.Value, error) { return d, nil })
	case pgtype.Int2OID:
		return scanned[int16](m, oid, format, func(d int16) (sqldriver.Value, error) { return int64(d), nil })
	case pgtype.Int4OID:
		return scanned[int32](m, oid, format, func(d int32) (sqldriver.Value, error) { return int64(d), nil })
	case pgtype.Int8OID:
		return scanned[int64](m, oid, format, func(d int64) (sqldriver.Value, error) { return d, nil })
	case pgtype.TimestampOID:
		return scanned[pgtype.Timestamp](m, oid, format, func(d pgtype.Timestamp) (sqldriver.Value, error) { return d.Value() })
	case pgtype.TimestamptzOID:
		return scanned[pgtype.Timestamptz](m, oid, format, func(d pgtype.Timestamptz) (sqldriver.Value, error) { return d.Value() })
	default:
		return scanned[string](m, oid, format, func(d string) (sqldriver.Value, error) { return d, nil })
	}
}

// scanned decodes a column into a T with pgx's plan for its type and
// format, then makes a database/sql value of it.
func scanned[T any](m *pgtype.Map, oid uint32, format int16, value func(T) (sqldriver.Value, error)) valueFunc {
	var d T
	plan := m.PlanScan(oid, format, &d)
	return func(raw []byte) (sqldriver.Value, error) {
		if err := plan.Scan(raw, &d); err != nil {
			return nil, err
		}
		return value(d)
	}
}

// bufferedRows is a result held in memory, as sqldriver.Rows.
type bufferedRows struct {
	cols   []string
	values []valueFunc
	rows   [][]sqldriver.Value
	next   int
}

func (r *bufferedRows) Columns() []string { return r.cols }
func (r *bufferedRows) Close() error      { return nil }

func (r *bufferedRows) Next(dest []sqldriver.Value) error {
	if r.next == len(r.rows) {
		return io.EOF
	}
	copy(dest, r.rows[r.next])
	r.next++
	return nil
}

// bufferedDB turns bufferedRows into *sql.Rows: its connections answer a
// query whose one argument is a *bufferedRows with those rows. Going
// through database/sql gives the scanning ent relies on (conversions,
// sql.Scanner, RawBytes, Close) without a copy of it.
var bufferedDB = func() *sql.DB {
	db := sql.OpenDB(bufferedConnector{})
	db.SetMaxIdleConns(256)
	return db
}()

type bufferedConnector struct{}

func (bufferedConnector) Connect(context.Context) (sqldriver.Conn, error) { return bufferedConn{}, nil }
func (bufferedConnector) Driver() sqldriver.Driver                        { return bufferedDriver{} }

type bufferedDriver struct{}

func (bufferedDriver) Open(string) (sqldriver.Conn, error) { return bufferedConn{}, nil }

type bufferedConn struct{}

var errBufferedOnly = errors.New("store: the buffered-rows connection only hands back rows already read")

func (bufferedConn) Prepare(string) (sqldriver.Stmt, error) { return nil, errBufferedOnly }
func (bufferedConn) Close() error                           { return nil }
func (bufferedConn) Begin() (sqldriver.Tx, error)           { return nil, errBufferedOnly }

// CheckNamedValue lets the *bufferedRows argument through unconverted.
func (bufferedConn) CheckNamedValue(*sqldriver.NamedValue) error { return nil }

func (bufferedConn) QueryContext(_ context.Context, _ string, args []sqldriver.NamedValue) (sqldriver.Rows, error) {
	if len(args) != 1 {
		return nil, errBufferedOnly
	}
	rows, ok := args[0].Value.(*bufferedRows)
	if !ok {
		return nil, errBufferedOnly
	}
	return rows, nil
}

// pipelined sends query through the current pipeline round of ctx
// (internal/pipeline) when there is one, filling v (ent's *sql.Rows) with
// its result, and reports whether it did.
func (d *driver) pipelined(ctx context.Context, query string, args, v any) (bool, error) {
	if d.batches == nil || !pipeline.InGroup(ctx) {
		return false, nil
	}
	rows, ok := v.(*entsql.Rows)
	list, isList := args.([]any)
	if !ok || !isList {
		return false, nil
	}
	to := d.batches
	if d.replicaBatches != nil && ReplicaAllowed(ctx) && isSelect(query) {
		to = d.replicaBatches
	}
	st := &pipeline.Statement{Query: query, Args: list}
	if !pipeline.Submit(ctx, to, st) {
		return false, nil
	}
	if st.Err != nil {
		return true, st.Err
	}
	*rows = entsql.Rows{ColumnScanner: st.Rows.(*sql.Rows)}
	return true, nil
}
