package results

import (
	"strings"
	"testing"
)

// file is one target's result on postgres: case at 1 client, at tput req/s
// and p50 ms.
func file(target string, round int, tput, p50 float64) File {
	return File{Target: target, Store: "postgres", Round: round, Runs: []Run{{Op: "case", Clients: 1, Throughput: tput, P50ms: p50, MaxRSSMB: 100}}}
}

func TestMedianOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		xs   []float64
		want float64
		ok   bool
	}{
		{"none", nil, 0, false},
		{"one", []float64{1.5}, 1.5, true},
		{"odd count takes the middle one", []float64{3, 1, 2}, 2, true},
		{"even count takes the mean of the middle two", []float64{4, 1, 2, 3}, 2.5, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := medianOf(tc.xs)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("medianOf(%v) = %v, %v; want %v, %v", tc.xs, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestCompareRoundsPairsEachRoundWithItsOwnBaselines(t *testing.T) {
	// Round 2 ran on a machine twice as slow for everyone: its rdrr alone
	// (200 req/s) would be under 2x round 1's PostGraphile (150), but
	// against its own round's PostGraphile (75) it is 2.67x.
	files := []File{
		file("rdrr", 1, 400, 2), file("postgraphile", 1, 150, 8), file("raw", 1, 900, 1), file("raw1", 1, 1200, 1), file("raw1a", 1, 600, 1),
		file("rdrr", 2, 200, 4), file("postgraphile", 2, 75, 16), file("raw", 2, 450, 2), file("raw1", 2, 600, 2), file("raw1a", 2, 300, 2),
		file("rdrr", 3, 300, 3), file("postgraphile", 3, 200, 6), file("raw", 3, 700, 1), file("raw1", 3, 1000, 1), file("raw1a", 3, 800, 1),
	}
	out := Compare(files, []string{"case"})
	for _, want := range []string{
		"### Ratios on postgres, median of 3 rounds",
		// the one-statement floor against its own round's PostGraphile too
		"| case | 1 | 2.67 / 2.67 / 1.50 | 2.67 ✓ | 2.00 / 2.00 / 3.00 | 2.00 ✓ | 400.0 / 200.0 / 300.0 | 6.00 / 6.00 / 3.50 | 8.00 / 8.00 / 5.00 | 4.00 / 4.00 / 4.00 |\n",
		"| case | met (1: 2.67×) | met (1: 2.00×) |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCompareRoundsVerdictIsTheMedians(t *testing.T) {
	// One round of three under target: the median still meets it; two
	// of three under: it does not.
	oneLow := []File{
		file("rdrr", 1, 300, 2), file("postgraphile", 1, 100, 1),
		file("rdrr", 2, 150, 2), file("postgraphile", 2, 100, 1),
		file("rdrr", 3, 250, 2), file("postgraphile", 3, 100, 1),
	}
	out := Compare(oneLow, []string{"case"})
	if !strings.Contains(out, "| case | met (1: 2.50×) |") {
		t.Errorf("one round of three under 2x: want met at the median 2.50x:\n%s", out)
	}
	if !strings.Contains(out, "| n/a / n/a / n/a | n/a / n/a / n/a | n/a / n/a / n/a |\n") {
		t.Errorf("no raw-SQL runs: want both floors' ratios n/a in every round:\n%s", out)
	}
	twoLow := []File{
		file("rdrr", 1, 300, 2), file("postgraphile", 1, 100, 1),
		file("rdrr", 2, 150, 2), file("postgraphile", 2, 100, 1),
		file("rdrr", 3, 190, 2), file("postgraphile", 3, 100, 1),
	}
	if out := Compare(twoLow, []string{"case"}); !strings.Contains(out, "| case | **NOT met** (1: 1.90×) |") {
		t.Errorf("two rounds of three under 2x: want NOT met at the median 1.90x:\n%s", out)
	}
}

func TestCompareOneRoundKeepsThePlainTable(t *testing.T) {
	files := []File{file("rdrr", 0, 400, 2), file("postgraphile", 0, 150, 8), file("raw", 0, 900, 1), file("raw1", 0, 1100, 1), file("raw1a", 0, 700, 1)}
	out := Compare(files, []string{"case"})
	if strings.Contains(out, "median") {
		t.Errorf("a single run is not reported as rounds:\n%s", out)
	}
	if want := "| case | 1 | 400.0 | 150.0 | 2.67 ✓ | 2.00 | 1.00 | 2.00 ✓ | 900.0 | 1100.0 | 700.0 |\n"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	// the one-statement floor is a baseline, never the p50 target's raw SQL
	if want := "| case | met (1: 2.67×) | met (1: 2.00×) |"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}
