// Package stats computes aggregate statistics on returnees for donors and
// analysts: numbers, never people. Every figure is computed in the
// database, then protected by cell-key perturbation, a minimum cell size,
// a differencing check and complementary suppression
// (docs/disclosure-control.md). Case-team visibility does not apply:
// aggregates cover every case except those excluded from statistics.
package stats

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"
)

// Value is one published figure: Value is nil when it is withheld (Reason
// says why) or undefined (Reason empty: a share or median of nobody).
type Value struct {
	Value  *float64
	Reason string // "", ReasonSmallCell or ReasonComplementary
}

// Cell is one row of a report: the values of its dimensions (only those it
// keeps; a margin has one, the total none) and a Value per measure.
type Cell struct {
	Dimensions map[Dimension]string
	Values     map[Measure]Value
}

// Report is a protected statistics table.
type Report struct {
	GroupBy  []Dimension
	Where    map[Dimension][]string
	Measures []Measure // in the canonical order of Measures
	// Cells are the non-empty combinations of the GroupBy values; cells
	// with nobody in them are not listed (they are zero).
	Cells []Cell
	// Margins are, for each GroupBy dimension when there are two or more,
	// the totals of each of its values over the other dimensions.
	Margins []Cell
	// Total is the grand total, always present.
	Total Cell
	// SuppressUpTo is the threshold in force.
	SuppressUpTo int
	// AsOf is the date (midnight UTC) the data was current: ages, and the
	// recent-medical-record window, are reckoned at this date.
	AsOf time.Time
	// ComputedAt is when the snapshot the report comes from was read
	// from the case records (snapshot.go).
	ComputedAt time.Time
	// Method summarises the disclosure control applied.
	Method string
}

// Compute answers req from the database db ("sqlite3" or "postgres"
// dialect) under the disclosure-control configuration cfg. It returns an
// *InvalidError for a bad request and an error wrapping ErrConfig for a
// bad configuration.
func Compute(ctx context.Context, db *sql.DB, dialect string, req Request, cfg Config) (*Report, error) {
	cfg, err := cfg.Normalize()
	if err != nil {
		return nil, err
	}
	d, err := newDialect(dialect)
	if err != nil {
		return nil, err
	}
	if err := ValidateRequest(req); err != nil {
		return nil, err
	}
	now := cfg.Now().UTC()
	asOf := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if err := ensureSnapshot(ctx, db, d, asOf, cfg.MaxAge); err != nil {
		return nil, err
	}

	// One snapshot for the snapshot row, the operation check and the
	// report (the report itself is one statement, so its parts agree).
	opts := &sql.TxOptions{ReadOnly: true}
	if d.postgres() {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("stats: starting read: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only; nothing to undo
	snap, err := readSnapshot(ctx, tx)
	if err != nil {
		return nil, err
	}
	p := newPlan(d, req, snap.asOf)
	if ops, ok := req.Where[DimOperation]; ok {
		if err := checkOperations(ctx, tx, d, ops); err != nil {
			return nil, err
		}
	}
	lat, medians, err := read(ctx, tx, p)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("stats: ending read: %w", err)
	}

	t := tableFor(cfg)
	lat.protect(t, int64(cfg.SuppressUpTo))
	r := assemble(p, lat, medians, t, cfg)
	r.ComputedAt = snap.computedAt
	return r, nil
}

// checkOperations refuses OPERATION filter values that name no operation.
func checkOperations(ctx context.Context, tx *sql.Tx, d sqlDialect, names []string) error {
	a := &args{d: d}
	q := "SELECT DISTINCT name FROM repatriation_operations WHERE " + a.in("name", names)
	rows, err := tx.QueryContext(ctx, q, a.vals...)
	if err != nil {
		return fmt.Errorf("stats: reading operations: %w", err)
	}
	defer rows.Close()
	known := map[string]bool{NoOperation: true}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return fmt.Errorf("stats: reading operations: %w", err)
		}
		known[n] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("stats: reading operations: %w", err)
	}
	for i, n := range names {
		if !known[n] {
			return invalid(fmt.Sprintf("where.%s[%d]", DimOperation.FilterName(), i), ErrUnknownValue, "no repatriation operation is named %q", n)
		}
	}
	return nil
}

// read runs the report's two statements: the aggregates, summed into the
// lattice, then (for the median) the histogram, merged into it row by row.
func read(ctx context.Context, tx *sql.Tx, p *plan) (*lattice, map[cellID]median, error) {
	aggs, err := readAggregates(ctx, tx, p)
	if err != nil {
		return nil, nil, err
	}
	lat := buildLattice(p, aggs)
	if !p.wantsMedian() {
		return lat, nil, nil
	}
	if p.d.postgres() {
		// The histogram has tens of thousands of groups: give it the
		// memory to hash them rather than sort them.
		if _, err := tx.ExecContext(ctx, "SET LOCAL work_mem = '32MB'"); err != nil {
			return nil, nil, fmt.Errorf("stats: %w", err)
		}
	}
	h := lat.newHistogram()
	if err := readHistogram(ctx, tx, p, h); err != nil {
		return nil, nil, err
	}
	return lat, h.medians(), nil
}

func readAggregates(ctx context.Context, tx *sql.Tx, p *plan) ([]aggRow, error) {
	q, vals := p.query()
	rows, err := tx.QueryContext(ctx, q, vals...)
	if err != nil {
		return nil, fmt.Errorf("stats: query: %w", err)
	}
	defer rows.Close()
	var aggs []aggRow
	nd, ns := len(p.touched), len(p.shares)
	for rows.Next() {
		var (
			dims   = make([]sql.NullString, nd)
			n, key sql.NullInt64
			nums   = make([]sql.NullInt64, 2*ns)
		)
		dest := make([]any, 0, nd+2+2*ns)
		for i := range dims {
			dest = append(dest, &dims[i])
		}
		dest = append(dest, &n, &key)
		for i := range nums {
			dest = append(dest, &nums[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("stats: query: %w", err)
		}
		r := aggRow{vals: make([]string, nd), n: n.Int64, keySum: key.Int64, num: make([]int64, ns), numKey: make([]int64, ns)}
		for i, d := range dims {
			r.vals[i] = d.String
		}
		for s := range ns {
			r.num[s], r.numKey[s] = nums[2*s].Int64, nums[2*s+1].Int64
		}
		aggs = append(aggs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: query: %w", err)
	}
	return aggs, nil
}

func readHistogram(ctx context.Context, tx *sql.Tx, p *plan, h *histogram) error {
	q, vals := p.histogram()
	rows, err := tx.QueryContext(ctx, q, vals...)
	if err != nil {
		return fmt.Errorf("stats: histogram: %w", err)
	}
	defer rows.Close()
	k := len(p.groupBy)
	dims := make([]string, k)
	var days, count int64
	dest := make([]any, k+2)
	for i := range k {
		dest[i] = &dims[i]
	}
	dest[k], dest[k+1] = &days, &count
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("stats: histogram: %w", err)
		}
		h.add(dims, days, count)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("stats: histogram: %w", err)
	}
	return nil
}

// assemble turns the protected lattice into the report: the cells, the
// one-way margins and the total, each with every requested measure.
func assemble(p *plan, lat *lattice, medians map[cellID]median, t *ptable, cfg Config) *Report {
	k := len(p.groupBy)
	r := &Report{
		GroupBy:      append([]Dimension(nil), p.groupBy...),
		Where:        copyWhere(p.where),
		Measures:     p.measures,
		SuppressUpTo: cfg.SuppressUpTo,
		AsOf:         p.asOf,
		Method:       method(cfg, t),
	}
	full := 1<<k - 1
	for _, id := range lat.sortedIDs() {
		level := id.level(k)
		c := lat.cells[id]
		out := Cell{Dimensions: map[Dimension]string{}, Values: map[Measure]Value{}}
		for i := range k {
			if id[i] != all {
				out.Dimensions[p.groupBy[i]] = lat.values[i][id[i]]
			}
		}
		for _, m := range p.measures {
			out.Values[m] = value(p, c, m, medians[id], t, int64(cfg.SuppressUpTo))
		}
		switch {
		case level == full && k > 0:
			r.Cells = append(r.Cells, out)
		case level == 0:
			r.Total = out
		case k >= 2 && level&(level-1) == 0:
			r.Margins = append(r.Margins, out)
		}
	}
	return r
}

// value computes one measure of one protected cell. A withheld cell
// withholds every measure with the same reason. Shares are the perturbed
// subset count over the published count, so a share never reveals the
// exact denominator, rounded to 0.1 percentage point.
func value(p *plan, c *lcell, m Measure, med median, t *ptable, threshold int64) Value {
	if c.reason != "" {
		return Value{Reason: c.reason}
	}
	f := func(x float64) Value { return Value{Value: &x} }
	switch {
	case m == MeasureReturneeCount:
		return f(float64(c.published))
	case isShare(m):
		if c.published == 0 {
			return Value{}
		}
		s := indexOf(p.shares, m)
		share := float64(t.perturb(c.numKey[s], c.num[s])) / float64(c.published)
		return f(math.Round(min(1, share)*1000) / 1000)
	case m == MeasureMedianDaysToFirstDocument:
		switch {
		case med.population == 0:
			return Value{}
		case med.population <= threshold:
			return Value{Reason: ReasonSmallCell}
		}
		return f(math.Round(med.value))
	}
	panic(errors.New("stats: unhandled measure " + string(m)))
}

func copyWhere(w map[Dimension][]string) map[Dimension][]string {
	if w == nil {
		return nil
	}
	out := make(map[Dimension][]string, len(w))
	for d, v := range w {
		out[d] = append([]string(nil), v...)
	}
	return out
}

func indexOf[T comparable](s []T, v T) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func method(cfg Config, t *ptable) string {
	return fmt.Sprintf("Cell-key perturbation of every count (record keys 0-255, noise -%d..+%d, variance %.2f); "+
		"counts 1-%d withheld, and shares and medians of populations of at most %d; "+
		"differencing check on filters; complementary suppression on every line of the table and its margins. "+
		"See docs/disclosure-control.md.", t.maxNoise, t.maxNoise, t.variance(), cfg.SuppressUpTo, cfg.SuppressUpTo)
}
