package stats

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Reports do not read the case records. A snapshot does, once: one row per
// counted returnee in statistics_facts, holding the coded value of every
// dimension at the snapshot's as-of date and a 0/1 per share measure, plus
// the days to the first identity document; then the cube aggregated from
// it: statistics_cube_cells, one row per combination of all eight
// dimensions that has anyone in it (about 1300 for 100000 returnees) with
// its counts and key sums, and statistics_days, the histogram of days per
// such combination for the median. Counts, key sums and histograms add up,
// so a report of any dimensions and filters is an aggregate of the cube,
// exact, and every report of one snapshot comes from the same data.
//
// The snapshot is rebuilt when it is older than Config.MaxAge or was taken
// on an earlier date (ages and the medical window move with the date):
// by Source.Run in the background, or by the report that finds it stale.
// Rebuilding replaces the facts and the snapshot row in one transaction
// that holds the write lock, so readers see the old snapshot or the new
// one, never a mix, and processes sharing a database rebuild one at a time
// (the second finds the snapshot fresh and stops).

// factColumns are the columns of statistics_facts in the order the
// building statement fills them.
var factColumns = []string{
	"id", "stats_key", "country", "operation", "return_year", "category", "sex", "age_band", "phase", "custody",
	"identity_document", "employment_or_training", "recent_medical_record", "high_risk", "days_to_first_document",
}

// snapshot is the statistics_snapshots row.
type snapshot struct {
	asOf       time.Time // midnight UTC
	computedAt time.Time
	returnees  int64
}

// ErrNoSnapshot means the statistics snapshot has not been built yet.
var ErrNoSnapshot = errors.New("stats: no statistics snapshot")

func readSnapshot(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (snapshot, error) {
	var (
		s    snapshot
		asOf string
		at   sql.NullTime
	)
	err := q.QueryRowContext(ctx, "SELECT as_of, computed_at, returnees FROM statistics_snapshots WHERE id = 1").Scan(&asOf, &at, &s.returnees)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNoSnapshot
	}
	if err != nil {
		return s, fmt.Errorf("stats: reading the snapshot: %w", err)
	}
	if s.asOf, err = time.Parse(time.DateOnly, asOf); err != nil {
		return s, fmt.Errorf("stats: snapshot as-of %q: %w", asOf, err)
	}
	s.computedAt = at.Time.UTC()
	return s, nil
}

// fresh reports whether s may answer a report asked at now (wall clock)
// for the as-of date asOf.
func (s snapshot) fresh(asOf, now time.Time, maxAge time.Duration) bool {
	return s.asOf.Equal(asOf) && maxAge > 0 && now.Sub(s.computedAt) < maxAge
}

// ensureSnapshot rebuilds the snapshot unless a fresh one exists.
func ensureSnapshot(ctx context.Context, db *sql.DB, d sqlDialect, asOf time.Time, maxAge time.Duration) error {
	if s, err := readSnapshot(ctx, db); err == nil && s.fresh(asOf, time.Now(), maxAge) {
		return nil
	} else if err != nil && !errors.Is(err, ErrNoSnapshot) {
		return err
	}
	return rebuild(ctx, db, d, asOf, maxAge)
}

// rebuild replaces the facts, unless another process has just done so.
func rebuild(ctx context.Context, db *sql.DB, d sqlDialect, asOf time.Time, maxAge time.Duration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("stats: starting the snapshot: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	// Take the write lock before looking again.
	lock := "DELETE FROM statistics_snapshots WHERE id <> 1" // any write takes SQLite's lock
	if d.postgres() {
		lock = "LOCK TABLE statistics_snapshots IN EXCLUSIVE MODE"
	}
	if _, err := tx.ExecContext(ctx, lock); err != nil {
		return fmt.Errorf("stats: locking the snapshot: %w", err)
	}
	if s, err := readSnapshot(ctx, tx); err == nil && s.fresh(asOf, time.Now(), maxAge) {
		return tx.Commit()
	}
	if d.postgres() {
		for _, set := range []string{"SET LOCAL work_mem = '64MB'", "SET LOCAL jit = off"} {
			if _, err := tx.ExecContext(ctx, set); err != nil {
				return fmt.Errorf("stats: %w", err)
			}
		}
	}
	computedAt := time.Now().UTC()
	for _, table := range []string{"statistics_facts", "statistics_cube_cells", "statistics_days"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("stats: clearing the snapshot: %w", err)
		}
	}
	q, vals := buildFacts(d, asOf)
	res, err := tx.ExecContext(ctx, q, vals...)
	if err != nil {
		return fmt.Errorf("stats: building the snapshot: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("stats: building the snapshot: %w", err)
	}
	for _, q := range buildCube() {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("stats: building the cube: %w", err)
		}
	}
	a := &args{d: d}
	ins := "INSERT INTO statistics_snapshots (id, as_of, computed_at, returnees) VALUES (1, " +
		a.add(asOf.Format(time.DateOnly)) + ", " + a.add(computedAt) + ", " + a.add(n) + ")"
	if _, err := tx.ExecContext(ctx, "DELETE FROM statistics_snapshots"); err != nil {
		return fmt.Errorf("stats: recording the snapshot: %w", err)
	}
	if _, err := tx.ExecContext(ctx, ins, a.vals...); err != nil {
		return fmt.Errorf("stats: recording the snapshot: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("stats: committing the snapshot: %w", err)
	}
	return nil
}

// buildFacts renders the statement that fills statistics_facts from the
// case records at asOf:
//
//	f  one row per returnee with a record that matters to a measure: a
//	   flag per subset (measures.go) and the first identity-document date,
//	   from a UNION ALL of the qualifying records grouped by returnee_id
//	   (so the returnees are joined once, not once per measure);
//
// then one row per returnee not excluded from statistics.
func buildFacts(d sqlDialect, asOf time.Time) (string, []any) {
	a := &args{d: d}
	subs := []subset{withIdentityDocument, inEmploymentOrTraining, withRecentMedicalRecord, highRisk}
	var branches []string
	for i, sub := range subs {
		sel, hasDate := sub.rows(d, a, asOf)
		cols := "returnee_id"
		for j := range subs {
			cols += ", " + strconv.Itoa(b2i(i == j)) + " AS s" + strconv.Itoa(j)
		}
		date := d.nullDate()
		if hasDate {
			date = "issued_on"
		}
		branches = append(branches, "SELECT "+cols+", "+date+" AS first FROM ("+sel+") "+sub.name)
	}
	agg := "returnee_id"
	for j := range subs {
		agg += ", MAX(s" + strconv.Itoa(j) + ") AS s" + strconv.Itoa(j)
	}
	f := "f AS (SELECT " + agg + ", MIN(first) AS first FROM (" + strings.Join(branches, " UNION ALL ") + ") u GROUP BY returnee_id)"

	cols := []string{"r.id", "r.stats_key"}
	for _, dim := range Dimensions {
		cols = append(cols, dimensions[dim].expr(d, a, asOf))
	}
	for j := range subs {
		cols = append(cols, "COALESCE(f.s"+strconv.Itoa(j)+", 0)")
	}
	cols = append(cols, "CASE WHEN f.first IS NULL THEN NULL ELSE "+d.daysBetween("f.first", "r.return_date")+" END")
	return "WITH " + f + " INSERT INTO statistics_facts (" + strings.Join(factColumns, ", ") + ") SELECT " +
		strings.Join(cols, ", ") +
		" FROM returnees r LEFT JOIN repatriation_operations o ON o.id = r.operation_id LEFT JOIN f ON f.returnee_id = r.id" +
		" WHERE NOT r.excluded_from_statistics", a.vals
}

// buildCube renders the statements that aggregate the facts into the cube.
func buildCube() []string {
	dims := make([]string, len(Dimensions))
	for i, dim := range Dimensions {
		dims[i] = dimensions[dim].column
	}
	dl := strings.Join(dims, ", ")
	cols, sums := []string{"returnees", "key_sum"}, []string{"COUNT(*)", "SUM(stats_key)"}
	for _, m := range Measures {
		if c, ok := shareColumns[m]; ok {
			cols = append(cols, c, c+"_keys")
			sums = append(sums, "SUM("+c+")", "SUM("+c+" * stats_key)")
		}
	}
	return []string{
		"INSERT INTO statistics_cube_cells (" + dl + ", " + strings.Join(cols, ", ") + ") SELECT " + dl + ", " +
			strings.Join(sums, ", ") + " FROM statistics_facts GROUP BY " + dl,
		"INSERT INTO statistics_days (" + dl + ", days, returnees) SELECT " + dl + ", days_to_first_document, COUNT(*)" +
			" FROM statistics_facts WHERE days_to_first_document IS NOT NULL GROUP BY " + dl + ", days_to_first_document",
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
