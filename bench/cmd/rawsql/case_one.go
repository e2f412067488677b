package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// caseInOneStatement is case_one.sql: the whole case as one JSON value.
//
//go:embed case_one.sql
var caseInOneStatement string

// auditedHead is case_one_audited.sql, which replaces plainHead, the first
// line of the case's statement, in the audited statement.
//
//go:embed case_one_audited.sql
var auditedHead string

const plainHead = "WITH r AS (SELECT * FROM returnees WHERE id = $1)\n"

// caseInOneAuditedStatement is caseInOneStatement with the viewer's case
// team rule and the audit row (case_one_audited.sql).
var caseInOneAuditedStatement = func() string {
	if strings.Count(caseInOneStatement, plainHead) != 1 {
		panic("case_one.sql no longer starts its statement with " + plainHead)
	}
	return strings.Replace(caseInOneStatement, plainHead, auditedHead, 1)
}()

// auditAs is who reads in the audited statement: the viewer's organisation,
// whose case team membership decides what it sees, and the actor named in
// the audit rows.
type auditAs struct{ orgID, actor string }

// auditTable holds the audited statement's rows; rawsql creates it in the
// database it reads (a copy, in the suite).
const auditTable = `CREATE TABLE IF NOT EXISTS rawsql_audit (seq bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(),
	actor text NOT NULL, returnee_id text NOT NULL, records jsonb NOT NULL)`

// prepareAudit creates the audit table and returns the audit identity of
// the organisation with slug orgSlug.
func prepareAudit(ctx context.Context, d db, orgSlug string) (*auditAs, error) {
	pg, err := postgresOf(d)
	if err != nil {
		return nil, err
	}
	if _, err := pg.pool.Exec(ctx, auditTable); err != nil {
		return nil, fmt.Errorf("creating rawsql_audit: %w", err)
	}
	a := &auditAs{actor: "rawsql:" + orgSlug}
	if err := pg.pool.QueryRow(ctx, "SELECT id FROM organisations WHERE slug = $1", orgSlug).Scan(&a.orgID); err != nil {
		return nil, fmt.Errorf("looking up organisation %q: %w", orgSlug, err)
	}
	return a, nil
}

// oneCaseInOneStatement answers bench/queries/case.graphql with
// case_one.sql, PostgreSQL only: the case's JSON comes back in one round
// trip and is written out as it came (pgx prepares the statement once per
// connection, so PostgreSQL plans it generically after its first runs).
// The answer is the same data as oneCase's; key order and spacing differ.
// With as, the statement is the audited one: a case off the team of
// as.orgID is not found, and a found one is recorded as read in the same
// commit.
func oneCaseInOneStatement(ctx context.Context, d db, id string, first int, as *auditAs) (json.RawMessage, error) {
	pg, err := postgresOf(d)
	if err != nil {
		return nil, err
	}
	var data json.RawMessage
	if as == nil {
		err = pg.pool.QueryRow(ctx, caseInOneStatement, id, first).Scan(&data)
	} else {
		err = pg.pool.QueryRow(ctx, caseInOneAuditedStatement, id, first, as.orgID, as.actor).Scan(&data)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNotFound
	}
	return data, err
}

// postgresOf is d's pgx pool: the one-statement case needs PostgreSQL.
func postgresOf(d db) (pgDB, error) {
	pg, ok := d.(pgDB)
	if !ok {
		return pgDB{}, errors.New("the one-statement case needs PostgreSQL")
	}
	return pg, nil
}
