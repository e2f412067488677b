package stats

import (
	"math"
	"testing"
	"time"
)

// TestPerturbationTable: the noise has mean zero, the configured spread
// and bound, depends only on (cell key, count), and the built-in table
// never changes (published figures must stay put across releases).
func TestPerturbationTable(t *testing.T) {
	for _, cfg := range []Config{{}, {MaxNoise: 2, NoiseVariance: 1}, {MaxNoise: 5, NoiseVariance: 4}, {MaxNoise: 1, NoiseVariance: 0.5}} {
		cfg = mustNormalize(cfg)
		tab := tableFor(cfg)
		if v := tab.variance(); math.Abs(v-cfg.NoiseVariance) > 0.1 {
			t.Errorf("%+v: variance %v", cfg, v)
		}
		for row := range ptableRows {
			var sum int
			hist := map[int8]int{}
			for key := range 256 {
				v := tab.rows[row][key]
				if int(v) > cfg.MaxNoise || int(v) < -cfg.MaxNoise {
					t.Fatalf("noise %d beyond %d", v, cfg.MaxNoise)
				}
				sum += int(v)
				hist[v]++
			}
			if sum != 0 {
				t.Errorf("%+v row %d: noise sums to %d over the keys, want 0 (unbiased)", cfg, row, sum)
			}
			for i, s := range tab.slots {
				if hist[int8(i-cfg.MaxNoise)] != s {
					t.Errorf("row %d does not hold the allotted noises", row)
				}
			}
		}
	}
	tab := tableFor(mustNormalize(Config{}))
	if tab.noise(12345, 0) != 0 || tab.perturb(99, 0) != 0 {
		t.Error("an empty cell was perturbed")
	}
	if tab.noise(300, 20) != tab.noise(300+256*7, 20) {
		t.Error("the cell key is not taken mod 256")
	}
	// The default table, pinned: a change here changes published figures.
	var got []int64
	for key := int64(0); key < 12; key++ {
		got = append(got, tab.noise(key*37, 11+key))
	}
	want := []int64{2, 0, 0, 0, 2, 0, 1, -3, -2, 0, -3, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("default perturbation table changed: got %v, want %v", got, want)
		}
	}
	// Another seed shuffles differently.
	other := tableFor(mustNormalize(Config{TableSeed: 42}))
	same := 0
	for key := range int64(256) {
		if other.noise(key, 50) == tab.noise(key, 50) {
			same++
		}
	}
	if same > 128 {
		t.Errorf("TableSeed hardly changes the table (%d of 256 keys agree)", same)
	}
}

// TestAgeBands: the SQL's cut-off dates and the usual age arithmetic agree
// on every birth date around every band boundary, leap days included.
func TestAgeBands(t *testing.T) {
	for _, asOf := range []time.Time{testAsOf, date(2024, 2, 29), date(2025, 2, 28), date(2025, 3, 1), date(2026, 1, 1)} {
		for _, start := range ageBandStarts {
			edge := asOf.AddDate(-start, 0, 0)
			for d := -3; d <= 3; d++ {
				b := edge.AddDate(0, 0, d)
				if got, want := ageBandOf(&b, asOf), oracleBand(b, asOf); got != want {
					t.Errorf("born %s, as of %s: band %s, want %s", b.Format(time.DateOnly), asOf.Format(time.DateOnly), got, want)
				}
			}
		}
		for _, b := range []time.Time{date(2020, 2, 29), date(2016, 2, 29), date(1980, 2, 29)} {
			if got, want := ageBandOf(&b, asOf), oracleBand(b, asOf); got != want {
				t.Errorf("born %s, as of %s: band %s, want %s", b.Format(time.DateOnly), asOf.Format(time.DateOnly), got, want)
			}
		}
	}
	if ageBandOf(nil, testAsOf) != UnknownAgeBand {
		t.Error("no birth date is not UNKNOWN")
	}
}
