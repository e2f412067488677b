// Command rawsql is the benchmark suite's floor: it answers the suite's
// read operations (dashboard, case, search) with hand-written SQL and
// encodes JSON of the same shape as rdrr's answers, with no GraphQL, no
// policy and no audit; like rdrr it caches list totals for a few seconds. On PostgreSQL it uses pgx's pool
// directly; on SQLite database/sql with the driver rdrr uses.
//
// It speaks just enough of GraphQL-over-HTTP for the load driver: POST
// /graphql with {"operationName": "Dashboard"|"Case"|"Search",
// "variables": {...}} (the query text is ignored) answers {"data": ...}.
// With -case-statements one the case is read in one statement that
// PostgreSQL turns into the answer's JSON (case_one.sql): the floor of a
// design that compiles a query into one statement, as PostGraphile does.
// With one-audited that statement also applies the viewer's case-team rule
// and records the read in rawsql_audit in the same commit
// (case_one_audited.sql).
//
//	go run ./bench/cmd/rawsql -db postgres://postgres@127.0.0.1:5432/rdrr_suite -addr 127.0.0.1:18190
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite"
)

func main() {
	dbURL := flag.String("db", "", "database: sqlite:PATH or postgres://...")
	addr := flag.String("addr", "127.0.0.1:18190", "listen address")
	conns := flag.Int("max-conns", 20, "connection pool size (rdrr's default on PostgreSQL is 20, on SQLite 8)")
	ttl := flag.Duration("count-cache-ttl", 3*time.Second, "how long list totals are cached (rdrr's default; 0 disables)")
	caseStatements := flag.String("case-statements", "per-edge", "how the case is read: per-edge (17 statements, rows encoded in Go), "+
		"one (case_one.sql) or one-audited (case_one.sql with the viewer's case-team rule and an audit row in the same statement); the last two PostgreSQL only")
	viewerOrg := flag.String("viewer-org", "gov-kz", "with -case-statements one-audited: the slug of the organisation reading")
	flag.Parse()
	d, err := open(*dbURL, *conns)
	if err != nil {
		log.Fatal(err)
	}
	var cs caseStatement
	switch *caseStatements {
	case "per-edge":
	case "one", "one-audited":
		if !d.postgres() {
			log.Fatalf("-case-statements %s needs PostgreSQL", *caseStatements)
		}
		cs.one = true
		if *caseStatements == "one-audited" {
			if cs.audit, err = prepareAudit(context.Background(), d, *viewerOrg); err != nil {
				log.Fatal(err)
			}
		}
	default:
		log.Fatalf("-case-statements: want per-edge, one or one-audited, not %q", *caseStatements)
	}
	mux := http.NewServeMux()
	cc := newCounts(*ttl)
	mux.HandleFunc("POST /graphql", func(w http.ResponseWriter, r *http.Request) { serve(d, cc, cs, w, r) })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	log.Printf("rawsql serving at http://%s/graphql", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}

func open(url string, conns int) (db, error) {
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		// The pragmas rdrr sets for reading (WAL, 16 MiB page cache).
		s, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=cache_size(-16384)")
		if err != nil {
			return nil, err
		}
		s.SetMaxOpenConns(conns)
		s.SetMaxIdleConns(conns)
		return sqliteDB{s}, nil
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = int32(conns)
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	return pgDB{p}, nil
}

type request struct {
	OperationName string `json:"operationName"`
	Variables     struct {
		ID      string `json:"id"`
		First   int    `json:"first"`
		Phase   string `json:"phase"`
		Custody string `json:"custody"`
		Country string `json:"country"`
		Prefix  string `json:"prefix"`
	} `json:"variables"`
}

// caseStatement is how the case is read: per edge (the zero value), or in
// one statement (case_one.sql), audited when audit is set.
type caseStatement struct {
	one   bool
	audit *auditAs
}

// serve answers one request; with cs.one the case comes from case_one.sql
// and is written out as PostgreSQL built it.
func serve(d db, cc *counts, cs caseStatement, w http.ResponseWriter, r *http.Request) {
	var req request
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	v := req.Variables
	ctx := r.Context()
	var (
		data any
		err  error
	)
	switch req.OperationName {
	case "Dashboard":
		data, err = dashboard(ctx, d, cc, orDefault(v.First, 50))
	case "Case":
		if cs.one {
			data, err = oneCaseInOneStatement(ctx, d, v.ID, orDefault(v.First, 20), cs.audit)
			break
		}
		data, err = oneCase(ctx, d, v.ID, orDefault(v.First, 20))
	case "Search":
		data, err = search(ctx, d, cc, v.Phase, v.Custody, v.Country, v.Prefix, orDefault(v.First, 20))
	default:
		err = fmt.Errorf("unknown operation %q", req.OperationName)
	}
	switch {
	case errors.Is(err, errNotFound), errors.Is(err, errShortPrefix):
		fail(w, http.StatusOK, err) // a GraphQL error, like rdrr's
		return
	case err != nil:
		fail(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if raw, ok := data.(json.RawMessage); ok { // as PostgreSQL built it: encoding/json would scan it again
		_, _ = w.Write(append(append([]byte(`{"data":`), raw...), "}\n"...))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data})
}

func orDefault(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

func fail(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": err.Error()}}})
}
