// Package seed fills an empty database with a deterministic, synthetic demo
// world: the organisations and staff of the Kazakh, Uzbek and Kyrgyz
// programmes, their repatriation operations, and any number of returnees
// with households, case teams and records of every category.
//
// Everything is drawn from a seeded generator (math/rand/v2 PCG), IDs
// included, against a fixed "today" (2026-11-01), so the same options give
// the same data on every run and every database. Only the created_at and
// updated_at bookkeeping stamps come from the clock. All names are random
// combinations of common names, and every restricted detail says it is
// synthetic.
package seed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
)

// Options for Demo.
type Options struct {
	Returnees int          // number of returnees; 0 means 1000
	Seed      int64        // random seed; 0 means 1
	Dialect   string       // dialect.Postgres to VACUUM after loading; SQLite otherwise
	Log       *slog.Logger // progress logging; may be nil
}

// Summary counts what Demo wrote.
type Summary struct {
	Organisations int
	Users         int
	Returnees     int
	// Records counts every row hanging off the returnees: case team
	// members, documents, legal, medical, theological and risk records,
	// interventions, community activities, consents, households, household
	// members and family assessments.
	Records int
}

// ErrNotEmpty is returned by Demo when the database already has data.
var ErrNotEmpty = errors.New("seed: the database is not empty")

// chunkSize is how many returnees one transaction writes. A few thousand
// returnees (about 25,000 rows) keep transactions short enough not to hold
// SQLite's write lock or PostgreSQL's WAL for long, and long enough that
// commits are not the bottleneck.
const chunkSize = 2500

// logEvery is the progress-logging interval, in returnees.
const logEvery = 10000

// Demo fills an empty database with the demo world. If any organisation
// exists it returns ErrNotEmpty without writing anything.
func Demo(ctx context.Context, client *ent.Client, az *authz.Authorizer, opts Options) (*Summary, error) {
	if opts.Returnees <= 0 {
		opts.Returnees = 1000
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	// Privacy policies deny every write that is not the system's.
	ctx = viewer.SystemContext(ctx)
	exists, err := client.Organisation.Query().Exist(ctx)
	if err != nil {
		return nil, fmt.Errorf("checking the database is empty: %w", err)
	}
	if exists {
		return nil, ErrNotEmpty
	}
	g := newGen(opts.Seed)
	var w *world
	err = inTx(ctx, client, func(tx *ent.Tx) error {
		w, err = createWorld(ctx, tx, az, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	sum := &Summary{Organisations: len(orgDefs), Users: len(Accounts)}
	start := time.Now()
	nextLog := logEvery
	for sum.Returnees < opts.Returnees {
		var n, recs int
		err := inTx(ctx, client, func(tx *ent.Tx) error {
			r := &rows{tx: tx}
			n = g.chunk(w, r, min(chunkSize, opts.Returnees-sum.Returnees))
			recs = r.records()
			return r.flush(ctx)
		})
		if err != nil {
			return nil, err
		}
		sum.Returnees += n
		sum.Records += recs
		for opts.Log != nil && sum.Returnees >= nextLog {
			opts.Log.Info("seeding demo data", "returnees", sum.Returnees, "of", opts.Returnees,
				"records", sum.Records, "elapsed", time.Since(start).Round(time.Millisecond))
			nextLog += logEvery
		}
	}
	// Fresh planner statistics after a bulk load: without them PostgreSQL
	// plans the case-team filter as if the tables were empty (350 ms instead
	// of 10 ms for the dashboard page at 100000 returnees). On PostgreSQL,
	// VACUUM also sets the visibility map, which index-only scans need.
	stmt := "ANALYZE"
	if opts.Dialect == dialect.Postgres {
		stmt = "VACUUM (ANALYZE)"
	}
	if _, err := client.ExecContext(ctx, stmt); err != nil {
		return nil, fmt.Errorf("analyzing: %w", err)
	}
	if opts.Dialect != dialect.Postgres {
		if err := dropSampleStatistics(ctx, client); err != nil {
			return nil, err
		}
	}
	// A running server may have taken a statistics snapshot of the empty
	// database (serve --demo starts before it seeds): drop it, so the next
	// report or refresh reads the demo world instead of waiting out its age.
	if _, err := client.StatisticsSnapshot.Delete().Exec(ctx); err != nil {
		return nil, fmt.Errorf("invalidating the statistics snapshot: %w", err)
	}
	if opts.Log != nil {
		opts.Log.Info("seeded demo data", "organisations", sum.Organisations, "users", sum.Users,
			"returnees", sum.Returnees, "records", sum.Records, "elapsed", time.Since(start).Round(time.Millisecond))
	}
	return sum, nil
}

// chunk generates family groups until it has n returnees, and their
// records, into r. It returns the number of returnees generated.
func (g *gen) chunk(w *world, r *rows, n int) int {
	done := 0
	for done < n {
		people, hh := g.group(w, n-done)
		if hh != nil {
			r.household(hh)
			g.familyAssessments(r, hh)
			// Members reference their wards, so they are written after the
			// returnees (flush orders the tables).
			for _, m := range hh.members {
				r.member(m)
			}
		}
		for _, p := range people {
			r.returnee(p)
			g.team(r, p)
			g.documents(r, p)
			g.legal(r, p)
			g.medical(r, p)
			g.theological(r, p)
			g.risk(r, p)
			g.interventions(r, p)
			g.community(r, p)
			g.consents(r, p)
		}
		done += len(people)
	}
	return done
}

// inTx runs f in a transaction, committing if it succeeds.
func inTx(ctx context.Context, client *ent.Client, f func(tx *ent.Tx) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("starting transaction: %w", err)
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// dropSampleStatistics keeps SQLite's row counts per index (sqlite_stat1)
// and drops the sampled key values ANALYZE also collects (sqlite_stat4).
// With samples, SQLite marks every statement whose plan looked at a bound
// value to be prepared again at its first step: each statement ent sends
// was parsed and planned twice (7% of the server's CPU on the dashboard).
// The plans of our queries do not need the samples: the case and the
// search were no slower without them. ANALYZE sqlite_schema makes the
// connection read the statistics again.
func dropSampleStatistics(ctx context.Context, client *ent.Client) error {
	var n int
	rows, err := client.QueryContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'")
	if err != nil {
		return fmt.Errorf("looking for sampled statistics: %w", err)
	}
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			_ = rows.Close()
			return fmt.Errorf("looking for sampled statistics: %w", err)
		}
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("looking for sampled statistics: %w", err)
	}
	if n == 0 {
		return nil
	}
	for _, stmt := range []string{"DELETE FROM sqlite_stat4", "ANALYZE sqlite_schema"} {
		if _, err := client.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("dropping sampled statistics: %w", err)
		}
	}
	return nil
}
