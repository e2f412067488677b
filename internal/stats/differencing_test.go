package stats

import (
	"fmt"
	"slices"
	"testing"
)

// TestDifferencingAttack: report A is COUNTRY x SEX over everyone, report
// B the same over all age bands but one. For each COUNTRY x SEX group the
// left-out band holds a small group of 1..4 people; A - B would count it.
// The differencing check withholds every B cell that lost 1..threshold
// people to the filter, so the attack never gets a number. The two-step
// variant leaves out a large band in B1 and that band plus the small one
// in B2, which the check cannot see (both lose more than the threshold);
// then only perturbation stands between B1 - B2 and the small group, and
// the exact size must come out only as often as two independent noises
// coincide (about one time in five), never reliably.
func TestDifferencingAttack(t *testing.T) {
	eachStore(t, func(t *testing.T, name string) {
		st := freshStore(t, name)
		w := newWorld(t, st)
		countries := []string{"KZ", "UZ", "KG", "TJ", "TM", "AF", "AZ", "GE", "RU", "TR", "IQ", "SY", "DE", "FR", "SE", "NL", "BE", "GB", "AT", "DK",
			"NO", "FI", "IT", "ES", "PT", "PL", "CZ", "HU", "RO", "BG", "MD", "UA", "BY", "AM", "IR", "PK", "IN", "CN", "MN", "US"}
		rnd := newRand(23)
		small := map[string]int{} // COUNTRY|SEX -> people aged 45+
		var people []person
		for _, c := range countries {
			for _, sex := range []string{"FEMALE", "MALE"} {
				s := 1 + rnd.IntN(4)
				small[c+"|"+sex] = s
				add := func(band string, n int) {
					for range n {
						people = append(people, person{
							sex: sex, country: c, category: "ADULT_WOMAN", phase: "REINTEGRATION", custody: "FAMILY_HOME",
							birth: bornAged(bandAge[band]), returned: date(2020, 1, 15), key: rnd.IntN(256),
						})
					}
				}
				add("45+", s)
				add("0-4", 15+rnd.IntN(10)) // large enough to leave out on its own
				for _, b := range []string{"5-9", "18-24", "25-34", "35-44"} {
					add(b, 5+rnd.IntN(8))
				}
			}
		}
		w.add(t, people)

		all := func(except ...string) []string {
			var out []string
			for _, b := range AgeBands {
				if !slices.Contains(except, b) {
					out = append(out, b)
				}
			}
			return out
		}
		groupBy := []Dimension{DimCountry, DimSex}
		a := compute(t, st, Request{GroupBy: groupBy}, testConfig())
		b := compute(t, st, Request{GroupBy: groupBy, Where: map[Dimension][]string{DimAgeBand: all("45+")}}, testConfig())
		b1 := compute(t, st, Request{GroupBy: groupBy, Where: map[Dimension][]string{DimAgeBand: all("0-4")}}, testConfig())
		b2 := compute(t, st, Request{GroupBy: groupBy, Where: map[Dimension][]string{DimAgeBand: all("0-4", "45+")}}, testConfig())

		attack := func(x, y *Report) (tried, exact int, diffs []string) {
			for _, c := range x.Cells {
				key := c.Dimensions[DimCountry] + "|" + c.Dimensions[DimSex]
				other := findCell(y.Cells, c.Dimensions)
				if other == nil || count(c) < 0 || count(*other) < 0 {
					continue
				}
				tried++
				d := int(count(c) - count(*other))
				diffs = append(diffs, fmt.Sprintf("%d/%d", d, small[key]))
				if d == small[key] {
					exact++
				}
			}
			return tried, exact, diffs
		}
		tried, exact, _ := attack(a, b)
		if exact != 0 {
			t.Errorf("A - B gave the exact small group %d times out of %d", exact, tried)
		}
		withheld := 0
		for _, c := range b.Cells {
			if c.Values[MeasureReturneeCount].Reason == ReasonComplementary {
				withheld++
			}
		}
		if withheld < len(small) {
			t.Errorf("only %d of %d B cells withheld against differencing", withheld, len(small))
		}

		tried, exact, diffs := attack(b1, b2)
		if tried < len(small)*3/4 {
			t.Fatalf("two-step attack: only %d of %d pairs published; the test proves nothing", tried, len(small))
		}
		rate := float64(exact) / float64(tried)
		t.Logf("two-step differencing: exact %d of %d (%.0f%%; two noises coincide with probability %.0f%%); attacker/true: %v",
			exact, tried, 100*rate, 100*tableFor(mustNormalize(testConfig())).coincidence(), diffs)
		if rate > 0.35 {
			t.Errorf("two-step differencing recovers the exact small group in %.0f%% of cases", 100*rate)
		}
	})
}

func mustNormalize(c Config) Config {
	c, err := c.Normalize()
	if err != nil {
		panic(err)
	}
	return c
}
