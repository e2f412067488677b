package stats

import (
	"math"
	"testing"
)

// TestAgreesWithDirectSQL: every published figure is within the
// perturbation bounds of the true figure the oracle computes from raw rows
// (counts within ±MaxNoise; shares within the range the perturbed
// numerator allows, over the published count; medians exact); every
// non-empty cell is listed and no empty one; the grand total is close to
// the true total.
func TestAgreesWithDirectSQL(t *testing.T) {
	eachStore(t, func(t *testing.T, name string) {
		w := demo(t, name)
		cfg := mustNormalize(testConfig())
		D := float64(cfg.MaxNoise)
		checked := map[Measure]int{}
		for _, req := range demoRequests() {
			r := compute(t, w.st, req, cfg)
			for _, c := range allCells(r) {
				tc := w.oracle.cell(c.Dimensions, req.Where)
				pc := count(c)
				if pc < 0 {
					continue
				}
				if math.Abs(pc-float64(tc.n)) > D {
					t.Errorf("%s %v: count %v, true %d", reqName(req), c.Dimensions, pc, tc.n)
				}
				checked[MeasureReturneeCount]++
				for _, m := range r.Measures {
					v := c.Values[m]
					switch {
					case isShare(m):
						if v.Value == nil {
							t.Errorf("%s %v: %s withheld in a published cell (%+v)", reqName(req), c.Dimensions, m, v)
							continue
						}
						num := tc.share(m) * float64(tc.n)
						lo, hi := math.Max(0, num-D)/pc, math.Min(1, (num+D)/pc)
						if *v.Value < lo-0.0005 || *v.Value > hi+0.0005 {
							t.Errorf("%s %v: %s %v outside [%.4f, %.4f] (true %.4f)", reqName(req), c.Dimensions, m, *v.Value, lo, hi, tc.share(m))
						}
						checked[m]++
					case m == MeasureMedianDaysToFirstDocument:
						if len(tc.days) <= cfg.SuppressUpTo {
							continue // checked by TestSmallCellsAreSuppressed
						}
						if v.Value == nil || *v.Value != math.Round(tc.median()) {
							t.Errorf("%s %v: median %+v, true %v", reqName(req), c.Dimensions, v, tc.median())
						}
						checked[m]++
					}
				}
			}
			// Listed cells are exactly the non-empty ones.
			if len(r.GroupBy) > 0 {
				want := map[string]bool{}
				for _, p := range w.oracle.people {
					if matches(p, nil, req.Where) {
						k := ""
						for _, d := range r.GroupBy {
							k += p.dims[d] + "|"
						}
						want[k] = true
					}
				}
				if len(want) != len(r.Cells) {
					t.Errorf("%s: %d cells listed, %d non-empty", reqName(req), len(r.Cells), len(want))
				}
				for _, c := range r.Cells {
					if !want[cellKeyOf(r, c)] {
						t.Errorf("%s: empty cell %v listed", reqName(req), c.Dimensions)
					}
				}
			}
		}
		for _, m := range Measures {
			if checked[m] == 0 {
				t.Errorf("no published %s was checked", m)
			}
		}
		truth := w.oracle.cell(nil, nil)
		r := compute(t, w.st, Request{}, cfg)
		if got := count(r.Total); math.Abs(got-float64(truth.n)) > D {
			t.Errorf("grand total %v, true %d", got, truth.n)
		}
		if !r.AsOf.Equal(testAsOf) {
			t.Errorf("as-of %v, want %v", r.AsOf, testAsOf)
		}
	})
}

// TestEmptyDatabase: a database without returnees gives no cells, a zero
// total and undefined (not withheld) shares and medians.
func TestEmptyDatabase(t *testing.T) {
	eachStore(t, func(t *testing.T, name string) {
		st := freshStore(t, name)
		r := compute(t, st, Request{GroupBy: []Dimension{DimCountry, DimSex}}, testConfig())
		if len(r.Cells) != 0 || len(r.Margins) != 0 {
			t.Errorf("cells %v, margins %v in an empty database", r.Cells, r.Margins)
		}
		if count(r.Total) != 0 {
			t.Errorf("total %v, want 0", count(r.Total))
		}
		for _, m := range []Measure{MeasureShareHighRisk, MeasureMedianDaysToFirstDocument} {
			if v := r.Total.Values[m]; v.Value != nil || v.Reason != "" {
				t.Errorf("%s of nobody: %+v", m, v)
			}
		}
	})
}
