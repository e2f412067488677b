package stats

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"testing"
)

// demoRequests is a spread of questions over the demo world: every
// dimension alone, every pair, some triples and quadruples, with and
// without filters.
func demoRequests() []Request {
	var reqs []Request
	for i, a := range Dimensions {
		reqs = append(reqs, Request{GroupBy: []Dimension{a}})
		for _, b := range Dimensions[i+1:] {
			reqs = append(reqs, Request{GroupBy: []Dimension{a, b}})
		}
	}
	reqs = append(reqs,
		Request{GroupBy: []Dimension{DimCountry, DimSex, DimAgeBand}},
		Request{GroupBy: []Dimension{DimCountry, DimPhase, DimSex, DimAgeBand}},
		Request{GroupBy: []Dimension{DimOperation, DimReturnYear, DimCategory, DimCustody}},
		Request{GroupBy: []Dimension{DimCountry, DimSex}, Where: map[Dimension][]string{DimAgeBand: {"0-4", "5-9", "10-14"}}},
		Request{GroupBy: []Dimension{DimPhase}, Where: map[Dimension][]string{DimCountry: {"KG"}, DimSex: {"MALE"}}},
		Request{GroupBy: []Dimension{DimCountry, DimCustody}, Where: map[Dimension][]string{DimCountry: {"KZ", "UZ", smallCountry}, DimCategory: {"ADULT_MAN"}}},
		Request{Where: map[Dimension][]string{DimCountry: {smallCountry}}},
		Request{},
	)
	return reqs
}

func reqName(r Request) string { return fmt.Sprintf("%v %v", r.GroupBy, r.Where) }

// TestSmallCellsAreSuppressed: no count from 1 to the threshold appears
// in any cell, margin or total; a cell of 1..threshold returnees has every
// measure withheld; shares and medians of small populations are withheld;
// excluded cases are never counted.
func TestSmallCellsAreSuppressed(t *testing.T) {
	eachStore(t, func(t *testing.T, name string) {
		w := demo(t, name)
		for _, threshold := range []int{0, 3, 15} {
			cfg := testConfig()
			cfg.SuppressUpTo = threshold
			cfg, _ = cfg.Normalize()
			T := float64(cfg.SuppressUpTo)
			smallSeen, publishedSeen := 0, 0
			for _, req := range demoRequests() {
				r := compute(t, w.st, req, cfg)
				if r.SuppressUpTo != cfg.SuppressUpTo {
					t.Fatalf("report says threshold %d, want %d", r.SuppressUpTo, cfg.SuppressUpTo)
				}
				for _, c := range allCells(r) {
					if c.Dimensions[DimCountry] == excludedCountry {
						t.Errorf("%s: a cell of excluded cases is published: %v", reqName(req), c.Dimensions)
					}
					n := count(c)
					if n >= 1 && n <= T {
						t.Errorf("%s %v: published count %v is within 1..%v", reqName(req), c.Dimensions, n, T)
					}
					tc := w.oracle.cell(c.Dimensions, req.Where)
					cv := c.Values[MeasureReturneeCount]
					if tc.n >= 1 && tc.n <= int64(T) {
						smallSeen++
						if cv.Value != nil || cv.Reason != ReasonSmallCell {
							t.Errorf("%s %v: %d returnees published as %+v", reqName(req), c.Dimensions, tc.n, cv)
						}
					}
					if cv.Value != nil {
						publishedSeen++
					}
					for m, v := range c.Values {
						if cv.Value == nil && (v.Value != nil || v.Reason != cv.Reason) {
							t.Errorf("%s %v: count withheld (%s) but %s is %+v", reqName(req), c.Dimensions, cv.Reason, m, v)
						}
					}
					if md := c.Values[MeasureMedianDaysToFirstDocument]; len(tc.days) <= int(T) && md.Value != nil {
						t.Errorf("%s %v: median of %d published", reqName(req), c.Dimensions, len(tc.days))
					}
				}
			}
			if smallSeen == 0 || publishedSeen == 0 {
				t.Fatalf("threshold %v: the requests met %d small and %d published cells; the test proves nothing", T, smallSeen, publishedSeen)
			}
		}

		// The total against a direct count.
		counted := queryInt(t, w.st.DB, "SELECT COUNT(*) FROM returnees WHERE NOT excluded_from_statistics")
		everyone := queryInt(t, w.st.DB, "SELECT COUNT(*) FROM returnees")
		if everyone-counted < excludedCount {
			t.Fatalf("only %d excluded returnees in the world", everyone-counted)
		}
		r := compute(t, w.st, Request{}, testConfig())
		total := count(r.Total)
		if math.Abs(total-float64(counted)) > DefaultMaxNoise {
			t.Errorf("total %v, want %d±%d (returnees not excluded)", total, counted, DefaultMaxNoise)
		}
		r = compute(t, w.st, Request{Where: map[Dimension][]string{DimCountry: {excludedCountry}}}, testConfig())
		if n := count(r.Total); n != 0 {
			t.Errorf("total of a country with only excluded returnees is %v, want 0", n)
		}
	})
}

// TestComplementarySuppression: after a small cell is withheld, an
// attacker who solves the table's linear equations (cells, margins and
// total) cannot determine any withheld value. Checked on a table built to
// have one small cell, and on every two-way table of the demo world.
func TestComplementarySuppression(t *testing.T) {
	eachStore(t, func(t *testing.T, name string) {
		st := freshStore(t, name)
		w := newWorld(t, st)
		// SEX x AGE_BAND with one small cell: MALE 15-17 has 3 people.
		counts := map[string][]int{
			"FEMALE": {25, 30, 18, 14, 40, 55, 33, 21},
			"MALE":   {22, 28, 16, 3, 35, 50, 30, 19},
		}
		rnd := newRand(11)
		var people []person
		for sex, cs := range counts {
			for b, n := range cs {
				for range n {
					people = append(people, person{
						sex: sex, country: "KZ", category: "ADULT_WOMAN", phase: "REINTEGRATION", custody: "FAMILY_HOME",
						birth: bornAged(bandAge[AgeBands[b]]), returned: date(2019, 5, 10), key: rnd.IntN(256),
					})
				}
			}
		}
		w.add(t, people)
		r := compute(t, st, Request{GroupBy: []Dimension{DimSex, DimAgeBand}}, testConfig())
		small := findCell(r.Cells, map[Dimension]string{DimSex: "MALE", DimAgeBand: "15-17"})
		if small == nil || count(*small) != -1 || small.Values[MeasureReturneeCount].Reason != ReasonSmallCell {
			t.Fatalf("the small cell is not withheld as small: %+v", small)
		}
		attack2D(t, r, true)

		dw := demo(t, name)
		for i, a := range Dimensions {
			for _, b := range Dimensions[i+1:] {
				attack2D(t, compute(t, dw.st, Request{GroupBy: []Dimension{a, b}}, testConfig()), false)
			}
		}
	})
}

func findCell(cells []Cell, dims map[Dimension]string) *Cell {
	for i, c := range cells {
		if reflect.DeepEqual(c.Dimensions, dims) {
			return &cells[i]
		}
	}
	return nil
}

// attack2D plays the attacker on a two-way report. It knows every
// published cell, margin and the total, and that unlisted cells are zero.
// First the simple attack: a withheld value that is the only unknown of
// its row or column (with that line's margin) is margin minus the rest.
// Then the complete one: a withheld value is determined when its unit
// vector lies in the row space of the system of all line equations
// (exact rational Gaussian elimination). Neither may succeed.
func attack2D(t *testing.T, r *Report, mustSuppress bool) {
	t.Helper()
	a, b := r.GroupBy[0], r.GroupBy[1]
	var rowsV, colsV []string
	seen := map[string]bool{}
	for _, c := range r.Margins {
		if v, ok := c.Dimensions[a]; ok && !seen["a"+v] {
			seen["a"+v] = true
			rowsV = append(rowsV, v)
		}
		if v, ok := c.Dimensions[b]; ok && !seen["b"+v] {
			seen["b"+v] = true
			colsV = append(colsV, v)
		}
	}
	// Values: published number, or unknown (nil). Unlisted cells are 0.
	type entry struct {
		name string
		val  *float64
	}
	var entries []entry
	idx := map[string]int{}
	add := func(name string, c *Cell) {
		idx[name] = len(entries)
		if c == nil {
			z := 0.0
			entries = append(entries, entry{name, &z})
			return
		}
		entries = append(entries, entry{name, c.Values[MeasureReturneeCount].Value})
	}
	for _, rv := range rowsV {
		for _, cv := range colsV {
			add("cell "+rv+"/"+cv, findCell(r.Cells, map[Dimension]string{a: rv, b: cv}))
		}
		add("row "+rv, findCell(r.Margins, map[Dimension]string{a: rv}))
	}
	for _, cv := range colsV {
		add("col "+cv, findCell(r.Margins, map[Dimension]string{b: cv}))
	}
	add("total", &r.Total)

	// Equations: each as the list of (entry, coefficient) summing to 0.
	var eqs [][]int // entry indices; the first is the margin (+1), the rest members (-1)
	for _, rv := range rowsV {
		eq := []int{idx["row "+rv]}
		for _, cv := range colsV {
			eq = append(eq, idx["cell "+rv+"/"+cv])
		}
		eqs = append(eqs, eq)
	}
	for _, cv := range colsV {
		eq := []int{idx["col "+cv]}
		for _, rv := range rowsV {
			eq = append(eq, idx["cell "+rv+"/"+cv])
		}
		eqs = append(eqs, eq)
	}
	rowT, colT := []int{idx["total"]}, []int{idx["total"]}
	for _, rv := range rowsV {
		rowT = append(rowT, idx["row "+rv])
	}
	for _, cv := range colsV {
		colT = append(colT, idx["col "+cv])
	}
	eqs = append(eqs, rowT, colT)

	var unknown []int
	for i, e := range entries {
		if e.val == nil {
			unknown = append(unknown, i)
		}
	}
	if mustSuppress && len(unknown) < 2 {
		t.Fatalf("%v: %d withheld values; a small cell needs company", r.GroupBy, len(unknown))
	}
	// Simple attack: one unknown in an equation.
	for _, eq := range eqs {
		var unk []int
		for _, i := range eq {
			if entries[i].val == nil {
				unk = append(unk, i)
			}
		}
		if len(unk) == 1 {
			t.Errorf("%v: %s is the only withheld value of a line: recomputable from the margin", r.GroupBy, entries[unk[0]].name)
		}
	}
	// Complete attack: rank test over the unknowns.
	col := map[int]int{}
	for j, i := range unknown {
		col[i] = j
	}
	var A [][]*big.Rat
	for _, eq := range eqs {
		row := make([]*big.Rat, len(unknown))
		nz := false
		for j := range row {
			row[j] = new(big.Rat)
		}
		for k, i := range eq {
			if j, ok := col[i]; ok {
				if k == 0 {
					row[j].SetInt64(1)
				} else {
					row[j].SetInt64(-1)
				}
				nz = true
			}
		}
		if nz {
			A = append(A, row)
		}
	}
	base := rank(A)
	for j, i := range unknown {
		e := make([]*big.Rat, len(unknown))
		for k := range e {
			e[k] = new(big.Rat)
		}
		e[j].SetInt64(1)
		if rank(append(cloneRows(A), e)) == base {
			t.Errorf("%v: %s is determined by the published values (rank test)", r.GroupBy, entries[i].name)
		}
	}
}

func cloneRows(a [][]*big.Rat) [][]*big.Rat {
	out := make([][]*big.Rat, len(a))
	for i, r := range a {
		out[i] = make([]*big.Rat, len(r))
		for j, v := range r {
			out[i][j] = new(big.Rat).Set(v)
		}
	}
	return out
}

// rank is the rank of a by Gaussian elimination over the rationals.
func rank(a [][]*big.Rat) int {
	a = cloneRows(a)
	if len(a) == 0 {
		return 0
	}
	rk, cols := 0, len(a[0])
	for c := 0; c < cols && rk < len(a); c++ {
		p := -1
		for r := rk; r < len(a); r++ {
			if a[r][c].Sign() != 0 {
				p = r
				break
			}
		}
		if p < 0 {
			continue
		}
		a[rk], a[p] = a[p], a[rk]
		for r := range a {
			if r == rk || a[r][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Quo(a[r][c], a[rk][c])
			for k := c; k < cols; k++ {
				a[r][k].Sub(a[r][k], new(big.Rat).Mul(f, a[rk][k]))
			}
		}
		rk++
	}
	return rk
}

// TestAveragingAttack: asking the same question again and again returns
// the same numbers, so averaging the answers removes no noise; and the
// same set of people reached through differently shaped questions gets
// the same noise too.
func TestAveragingAttack(t *testing.T) {
	eachStore(t, func(t *testing.T, name string) {
		w := demo(t, name)
		req := Request{GroupBy: []Dimension{DimCountry, DimSex}}
		first := compute(t, w.st, req, testConfig())
		sum := map[string]float64{}
		const asks = 100
		for range asks {
			r := compute(t, w.st, req, testConfig())
			r.ComputedAt = first.ComputedAt // each report here rebuilds the snapshot: only the time differs
			if !reflect.DeepEqual(r, first) {
				t.Fatal("the same question gave a different answer")
			}
			for _, c := range allCells(r) {
				sum[cellKeyOf(r, c)] += count(c)
			}
		}
		noisy := 0
		for _, c := range allCells(first) {
			if count(c) < 0 {
				continue
			}
			avg := sum[cellKeyOf(first, c)] / asks
			tc := w.oracle.cell(c.Dimensions, nil)
			if avg != count(c) {
				t.Errorf("%v: average %v differs from the single answer %v", c.Dimensions, avg, count(c))
			}
			if avg != float64(tc.n) {
				noisy++
			}
		}
		if noisy == 0 {
			t.Error("every average equals the true count: no noise to protect with")
		}
		// Same people, other shapes: KZ women as a cell, as a filtered
		// margin and as a filtered total.
		kzF := map[Dimension]string{DimCountry: "KZ", DimSex: "FEMALE"}
		want := count(*findCell(first.Cells, kzF))
		byCountry := compute(t, w.st, Request{GroupBy: []Dimension{DimCountry}, Where: map[Dimension][]string{DimSex: {"FEMALE"}}}, testConfig())
		totalOnly := compute(t, w.st, Request{Where: map[Dimension][]string{DimCountry: {"KZ"}, DimSex: {"FEMALE"}}}, testConfig())
		if got := count(*findCell(byCountry.Cells, map[Dimension]string{DimCountry: "KZ"})); got != want {
			t.Errorf("KZ women: %v as a cell, %v through a filter", want, got)
		}
		if got := count(totalOnly.Total); got != want {
			t.Errorf("KZ women: %v as a cell, %v as a filtered total", want, got)
		}
	})
}
