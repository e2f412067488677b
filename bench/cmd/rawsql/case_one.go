package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
)

// caseInOneStatement is case_one.sql: the whole case as one JSON value.
//
//go:embed case_one.sql
var caseInOneStatement string

// oneCaseInOneStatement answers bench/queries/case.graphql with
// case_one.sql, PostgreSQL only: the case's JSON comes back in one round
// trip and is written out as it came (pgx prepares the statement once per
// connection, so PostgreSQL plans it generically after its first runs).
// The answer is the same data as oneCase's; key order and spacing differ.
func oneCaseInOneStatement(ctx context.Context, d db, id string, first int) (json.RawMessage, error) {
	pg, ok := d.(pgDB)
	if !ok {
		return nil, errors.New("the one-statement case needs PostgreSQL")
	}
	var data json.RawMessage
	err := pg.pool.QueryRow(ctx, caseInOneStatement, id, first).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNotFound
	}
	return data, err
}
