// Package workload defines the benchmark suite's operations: which
// GraphQL document each one sends to rdrr and to PostGraphile, which
// operation the raw-SQL baseline answers, as whom, and with which
// variables. The variables come from the seeded database itself (cases the
// viewer's organisation is on, documents it may update), read once before
// a run, so that every target gets the same requests.
package workload

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver for reading the fixture
	_ "modernc.org/sqlite"             // "sqlite" driver for reading the fixture
)

// Fixture is what the operations' variables are drawn from.
type Fixture struct {
	GovKZ       string   // ID of gov-kz, the case manager's and legal officer's organisation
	NgoKZ       string   // ID of ngo-kz, the clinician's organisation
	Clinician   string   // user ID of psychologist@ngo-kz.example (author for PostGraphile)
	Cases       []string // cases gov-kz is currently on with full access, by ID
	NgoCases    []string // cases ngo-kz is currently on with full access, by ID
	Documents   []Doc    // documents of Cases, by ID
	TotalCases  int
	VisibleToCM int // cases gov-kz is on: what the case manager's totals count
}

// Doc is a document and the version it had when the fixture was read.
type Doc struct {
	ID      string
	Version int
}

// How many IDs of each kind to draw: enough that consecutive requests hit
// different rows (and caches) and that the document updates of a whole run
// never come back to a document before its previous update has landed.
const (
	maxCases = 2000
	maxDocs  = 50000
)

// Open opens the database named by an rdrr URL (sqlite:PATH or
// postgres://...) for reading.
func Open(url string) (*sql.DB, string, error) {
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
		return db, "sqlite", err
	}
	db, err := sql.Open("pgx", url)
	return db, "postgres", err
}

// Load reads the fixture from the database at url.
func Load(ctx context.Context, url string) (*Fixture, error) {
	db, dialect, err := Open(url)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	bind := func(q string) string { // the queries below use $n; SQLite takes ?n
		if dialect == "sqlite" {
			return strings.ReplaceAll(q, "$", "?")
		}
		return q
	}
	f := &Fixture{}
	for slug, dst := range map[string]*string{"gov-kz": &f.GovKZ, "ngo-kz": &f.NgoKZ} {
		if err := db.QueryRowContext(ctx, bind("SELECT id FROM organisations WHERE slug = $1"), slug).Scan(dst); err != nil {
			return nil, fmt.Errorf("organisation %s: %w", slug, err)
		}
	}
	if err := db.QueryRowContext(ctx, bind("SELECT id FROM users WHERE email = $1"), "psychologist@ngo-kz.example").Scan(&f.Clinician); err != nil {
		return nil, fmt.Errorf("clinician: %w", err)
	}
	const team = "SELECT returnee_id FROM case_team_members WHERE organisation_id = $1 AND until IS NULL AND access = 'FULL' ORDER BY returnee_id LIMIT $2"
	if f.Cases, err = strings1(ctx, db, bind(team), f.GovKZ, maxCases); err != nil {
		return nil, err
	}
	if f.NgoCases, err = strings1(ctx, db, bind(team), f.NgoKZ, maxCases); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, bind(`SELECT d.id, d.version FROM documents d
		JOIN case_team_members t ON t.returnee_id = d.returnee_id AND t.organisation_id = $1 AND t.until IS NULL AND t.access = 'FULL'
		ORDER BY d.id LIMIT $2`), f.GovKZ, maxDocs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d Doc
		if err := rows.Scan(&d.ID, &d.Version); err != nil {
			return nil, err
		}
		f.Documents = append(f.Documents, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM returnees").Scan(&f.TotalCases); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, bind("SELECT count(DISTINCT returnee_id) FROM case_team_members WHERE organisation_id = $1 AND until IS NULL"), f.GovKZ).Scan(&f.VisibleToCM); err != nil {
		return nil, err
	}
	if len(f.Cases) == 0 || len(f.NgoCases) == 0 || len(f.Documents) == 0 {
		return nil, fmt.Errorf("the database has no demo data (cases %d, ngo cases %d, documents %d): seed it with rdrr seed --demo", len(f.Cases), len(f.NgoCases), len(f.Documents))
	}
	return f, nil
}

// strings1 returns the first column of every row.
func strings1(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
