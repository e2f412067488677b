package stats

import (
	"slices"
	"strings"
	"time"
)

// plan is what the statements of one report need to know.
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
		if _, ok := req.Where[dim]; ok && !slices.Contains(req.GroupBy, dim) {
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

func (p *plan) wantsMedian() bool {
	return slices.Contains(p.measures, MeasureMedianDaysToFirstDocument)
}

// The report reads two statements in one transaction (report.go):
//
//	query:     the cube cells summed by every touched dimension: counts and
//	           key sums, unfiltered (lattice.go applies the filters);
//	           columns d0..d(t-1), n, keysum, per share (members, key sum);
//	histogram: for the median, the days to the first identity document
//	           summed by the grouped dimensions, filtered; Go merges it into
//	           every published level (medians.go); columns d0..d(k-1),
//	           days, returnees.

func (p *plan) query() (string, []any) {
	d := p.d
	dims := p.columns()
	sel := append([]string(nil), dims...)
	sel = append(sel, d.sum("returnees"), d.sum("key_sum"))
	for _, m := range p.shares {
		c := shareColumns[m]
		sel = append(sel, d.sum(c), d.sum(c+"_keys"))
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM statistics_cube_cells"
	if len(dims) > 0 {
		q += " GROUP BY " + strings.Join(dims, ", ")
	}
	return q, nil
}

// histogram renders the statement of the median's histogram.
func (p *plan) histogram() (string, []any) {
	a := &args{d: p.d}
	dims := p.columns()
	group := append(append([]string(nil), dims[:len(p.groupBy)]...), "days")
	q := "SELECT " + strings.Join(group, ", ") + ", " + p.d.sum("returnees") + " FROM statistics_days"
	if conds := p.filters(a, dims); len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	return q + " GROUP BY " + strings.Join(group, ", "), a.vals
}

// columns are the cube columns of the touched dimensions.
func (p *plan) columns() []string {
	dims := make([]string, len(p.touched))
	for i, dim := range p.touched {
		dims[i] = dimensions[dim].column
	}
	return dims
}

// filters renders the report's filters over the touched columns.
func (p *plan) filters(a *args, cols []string) []string {
	var conds []string
	for i, dim := range p.touched {
		if vals, ok := p.where[dim]; ok {
			conds = append(conds, a.in(cols[i], vals))
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
