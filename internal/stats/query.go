package stats

import (
	"strconv"
	"strings"
	"time"
)

// The database does the heavy lifting, in one statement:
//
//	f     one row per returnee with a record that matters to a measure: a
//	      flag per subset (measures.go) and the first identity-document
//	      date, from a UNION ALL of the qualifying records grouped by
//	      returnee_id (so the returnees are joined once, not once per
//	      measure);
//	base  one row per counted returnee: the touched dimensions, the
//	      record key, the flags and the days to the first document;
//	part 0: base grouped by every touched dimension: counts and key sums;
//	part 1: the medians of every published level over the filtered base.
//
// It returns a few hundred aggregate rows; no returnee row reaches Go.

// plan is what the statement of one report needs to know.
type plan struct {
	d        sqlDialect
	asOf     time.Time
	groupBy  []Dimension // the report's dimensions
	touched  []Dimension // groupBy, then the other filtered dimensions
	where    map[Dimension][]string
	measures []Measure
	shares   []Measure // the share measures among measures, in order
}

func newPlan(d sqlDialect, req Request, asOf time.Time) *plan {
	p := &plan{d: d, asOf: asOf, groupBy: req.GroupBy, where: req.Where, measures: req.measures()}
	p.touched = append(p.touched, req.GroupBy...)
	for _, dim := range Dimensions { // fixed order: stable SQL text
		if _, ok := req.Where[dim]; ok && !contains(req.GroupBy, dim) {
			p.touched = append(p.touched, dim)
		}
	}
	for _, m := range p.measures {
		if isShare(m) {
			p.shares = append(p.shares, m)
		}
	}
	return p
}

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func (p *plan) wantsMedian() bool { return contains(p.measures, MeasureMedianDaysToFirstDocument) }

// subsets lists the subsets the statement needs: one per share measure,
// and the identity documents for the median.
func (p *plan) subsets() []subset {
	var out []subset
	for _, m := range p.shares {
		out = append(out, shareSubsets[m])
	}
	if p.wantsMedian() && !contains(p.shares, MeasureShareWithIdentityDocument) {
		out = append(out, withIdentityDocument)
	}
	return out
}

// Result columns: part, d0..d(t-1), n, keysum, per share (members, their
// key sum), median. Part 0 rows fill all but median; part 1 rows fill the
// kept dimensions (NULL where aggregated), n (the median's population) and
// median.
const (
	partAggregate = 0
	partMedian    = 1
)

func (p *plan) query() (string, []any) {
	a := &args{d: p.d}
	d := p.d
	subs := p.subsets()
	var ctes []string

	// f: one row per returnee in any subset.
	if len(subs) > 0 {
		var branches []string
		for i, sub := range subs {
			sel, hasDate := sub.rows(d, a, p.asOf)
			cols := "returnee_id"
			for j := range subs {
				if i == j {
					cols += ", 1 AS s" + strconv.Itoa(j)
				} else {
					cols += ", 0 AS s" + strconv.Itoa(j)
				}
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
		ctes = append(ctes, "f AS (SELECT "+agg+", MIN(first) AS first FROM ("+
			strings.Join(branches, " UNION ALL ")+") u GROUP BY returnee_id)")
	}

	// base: one row per counted returnee.
	cols := []string{"r.stats_key AS k"}
	for i, dim := range p.touched {
		cols = append(cols, dimensions[dim].expr(d, a, p.asOf)+" AS d"+strconv.Itoa(i))
	}
	for j := range subs {
		cols = append(cols, "COALESCE(f.s"+strconv.Itoa(j)+", 0) AS s"+strconv.Itoa(j))
	}
	if p.wantsMedian() {
		cols = append(cols, "CASE WHEN f.first IS NULL THEN NULL ELSE "+d.daysBetween("f.first", "r.return_date")+" END AS days")
	}
	from := " FROM returnees r"
	for _, dim := range p.touched {
		if dimensions[dim].needsOperation {
			from += " LEFT JOIN repatriation_operations o ON o.id = r.operation_id"
			break
		}
	}
	if len(subs) > 0 {
		from += " LEFT JOIN f ON f.returnee_id = r.id"
	}
	// Excluded cases are left out here, in the one place every figure
	// comes from.
	ctes = append(ctes, "base AS (SELECT "+strings.Join(cols, ", ")+from+" WHERE NOT r.excluded_from_statistics)")

	dims := make([]string, len(p.touched))
	for i := range dims {
		dims[i] = "d" + strconv.Itoa(i)
	}
	nullInt := d.nullInt()

	// Part 0: counts and key sums per touched combination, unfiltered:
	// the filters are applied in Go (lattice.go), because the people a
	// filter removes from each cell are what the differencing check needs.
	sel := []string{strconv.Itoa(partAggregate)}
	sel = append(sel, dims...)
	sel = append(sel, "COUNT(*)", d.sum("k"))
	for j := range p.shares {
		sel = append(sel, d.sum("s"+strconv.Itoa(j)), d.sum("s"+strconv.Itoa(j)+" * k"))
	}
	if p.wantsMedian() {
		sel = append(sel, d.nullFloat())
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM base"
	if len(dims) > 0 {
		q += " GROUP BY " + strings.Join(dims, ", ")
	}

	if p.wantsMedian() {
		mq, extra := p.medianParts(a, dims, nullInt)
		ctes = append(ctes, extra...)
		q += " UNION ALL " + mq
	}
	return "WITH " + strings.Join(ctes, ", ") + " " + q, a.vals
}

// filters renders the report's filters over the base columns d0...
func (p *plan) filters(a *args) []string {
	var conds []string
	for i, dim := range p.touched {
		if vals, ok := p.where[dim]; ok {
			conds = append(conds, a.in("d"+strconv.Itoa(i), vals))
		}
	}
	return conds
}

// medianLevels are the aggregation levels the report publishes, as bit
// masks over groupBy (bit i set: dimension i is kept): the cells, the
// one-way margins and the total.
func medianLevels(k int) []int {
	full := 1<<k - 1
	levels := []int{full}
	if k >= 2 {
		for i := range k {
			levels = append(levels, 1<<i)
		}
	}
	if k >= 1 {
		levels = append(levels, 0)
	}
	return levels
}

// medianParts renders part 1: for every published level, the number of
// returnees with a dated identity document and the median of their days
// from return to the first one, over the filtered population. It may add
// CTEs.
func (p *plan) medianParts(a *args, dims []string, nullInt string) (string, []string) {
	k := len(p.groupBy)
	gdims := dims[:k]
	conds := append([]string{"days IS NOT NULL"}, p.filters(a)...)
	where := " WHERE " + strings.Join(conds, " AND ")
	// The columns of part 1, given how to render each kept dimension.
	row := func(level int, pop, median string) string {
		cols := []string{strconv.Itoa(partMedian)}
		for i := range dims {
			if i < k && level&(1<<i) != 0 {
				cols = append(cols, dims[i])
			} else {
				cols = append(cols, p.d.nullText())
			}
		}
		cols = append(cols, pop, nullInt)
		for range p.shares {
			cols = append(cols, nullInt, nullInt)
		}
		return strings.Join(append(cols, median), ", ")
	}
	if p.d.postgres() {
		// percentile_cont with GROUPING SETS: every level in one pass.
		// A dimension is never NULL in base, so NULL marks a level's
		// aggregated dimensions; the row is rebuilt per level below.
		var sets []string
		for _, l := range medianLevels(k) {
			sets = append(sets, "("+strings.Join(pick(gdims, l), ", ")+")")
		}
		cols := []string{strconv.Itoa(partMedian)}
		for i := range dims {
			if i < k {
				cols = append(cols, dims[i])
			} else {
				cols = append(cols, p.d.nullText())
			}
		}
		cols = append(cols, "COUNT(*)", nullInt)
		for range p.shares {
			cols = append(cols, nullInt, nullInt)
		}
		cols = append(cols, "percentile_cont(0.5) WITHIN GROUP (ORDER BY days)")
		return "SELECT " + strings.Join(cols, ", ") + " FROM base" + where +
			" GROUP BY GROUPING SETS (" + strings.Join(sets, ", ") + ")", nil
	}
	// SQLite has no percentile or grouping sets. From a histogram of days
	// per cell (h), each level takes the running count over days (window
	// functions, one sort per level), keeps only the one or two histogram
	// rows holding positions (tot+1)/2 and tot/2+1 (integer division) and
	// averages their days: the median, as percentile_cont(0.5) gives it.
	hdims := strings.Join(append(append([]string(nil), gdims...), "days"), ", ")
	h := "h AS (SELECT " + hdims + ", COUNT(*) AS c FROM base" + where + " GROUP BY " + hdims + ")"
	const (
		lo = "(tot + 1) / 2"
		hi = "tot / 2 + 1"
	)
	holds := func(pos string) string { return "cum - c < " + pos + " AND " + pos + " <= cum" }
	var parts []string
	for _, l := range medianLevels(k) {
		ld := pick(gdims, l)
		src := "h"
		if len(ld) < k { // the cells' histogram is h itself
			lsel := strings.Join(append(append([]string(nil), ld...), "days"), ", ")
			src = "(SELECT " + lsel + ", SUM(c) AS c FROM h GROUP BY " + lsel + ")"
		}
		over := "ORDER BY days"
		if len(ld) > 0 {
			over = "PARTITION BY " + strings.Join(ld, ", ") + " " + over
		}
		win := "SELECT *, SUM(c) OVER (" + over + " ROWS UNBOUNDED PRECEDING) AS cum," +
			" SUM(c) OVER (" + over + " ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS tot FROM " + src
		part := "SELECT " + row(l, "MAX(tot)",
			"(MAX(CASE WHEN "+holds(lo)+" THEN days END) + MAX(CASE WHEN "+holds(hi)+" THEN days END)) / 2.0") +
			" FROM (" + win + ") y WHERE (" + holds(lo) + ") OR (" + holds(hi) + ")"
		if len(ld) > 0 {
			part += " GROUP BY " + strings.Join(ld, ", ")
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " UNION ALL "), []string{h}
}

// pick returns the elements of s whose bit is set in mask.
func pick(s []string, mask int) []string {
	var out []string
	for i, v := range s {
		if mask&(1<<i) != 0 {
			out = append(out, v)
		}
	}
	return out
}
