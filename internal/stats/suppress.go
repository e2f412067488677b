package stats

import (
	"math/bits"
	"slices"
)

// Reasons a published value is withheld.
const (
	// ReasonSmallCell: the count is from 1 up to the threshold (before or
	// after perturbation), or the population of a share or median is.
	ReasonSmallCell = "SUPPRESSED_SMALL_CELL"
	// ReasonComplementary: withheld to protect a small cell elsewhere:
	// one that could otherwise be recomputed from this cell, its line and
	// the line's margin, or the small group this report's filters remove
	// from the cell (which the same report without the filter would give
	// by subtraction).
	ReasonComplementary = "SUPPRESSED_COMPLEMENTARY"
)

// protect perturbs every lattice cell and decides which are withheld, in
// three steps:
//
//  1. Primary suppression: a cell of 1..threshold returnees, or whose
//     perturbed count is at most the threshold, is withheld. Empty cells
//     stay empty and are not listed; the perturbation never touches zero.
//  2. Differencing: a cell from which the filters remove 1..threshold
//     returnees is withheld, for the filters together and for each one
//     alone; otherwise this report minus the one without that filter would
//     be a small cell.
//  3. Complementary suppression over every line of the published table:
//     the cells that share all but one dimension's value, with their
//     margin (the cell one level up), and the one-way margins of each
//     dimension, with the total. A line with exactly one withheld member
//     gives it away by subtraction, so the smallest other non-empty cell
//     of the line is withheld too (the margin, if there is no other cell),
//     and this is repeated over all lines until no line has exactly one.
//
// Steps 1 and 2 depend only on the cell's members and the filters, so a
// cell gets the same verdict in every report that shows it. Step 3 does
// not. For three or four dimensions the margins of the lines (two- and
// three-way totals) are not printed, but another report would print them:
// they are taken as known unless steps 1-2 withhold them, which is the
// cautious assumption for the cells printed here. Lines made only of such
// unprinted margins are left to the report that prints them.
//
// Step 3 is the usual heuristic: it guarantees no withheld cell is the
// only unknown of any line. Several lines together can still pin a value
// down, so an exact audit (audit.go) then solves the system of all these
// lines and withholds more until no withheld value is determined. What the
// audit does not model (bounds: a withheld cell is at least 1; relations
// through margins only other reports print) is left to perturbation, which
// keeps any recomputed value from being exact: margins carry their own
// noise, so published margins are not sums of published cells.
func (lat *lattice) protect(t *ptable, threshold int64) {
	ids := lat.sortedIDs()
	small := func(n int64) bool { return n >= 1 && n <= threshold }
	for _, id := range ids {
		c := lat.cells[id]
		c.published = t.perturb(c.keySum, c.n)
		if c.n > 0 && (small(c.n) || c.published <= threshold) {
			c.reason = ReasonSmallCell
		}
	}
	for _, id := range ids {
		c := lat.cells[id]
		if c.reason != "" || c.n == 0 {
			continue
		}
		if small(c.compAll) || slices.ContainsFunc(c.compOne, small) {
			c.reason = ReasonComplementary
		}
	}
	lines := lat.lines(ids)
	for {
		lat.completeLines(lines)
		if !lat.protectDetermined(lines) {
			return
		}
	}
}

// completeLines runs the line heuristic until no line has exactly one
// withheld member.
func (lat *lattice) completeLines(lines []line) {
	for changed := true; changed; {
		changed = false
		for _, ln := range lines {
			margin := lat.cells[ln.margin]
			hidden := 0
			if margin.reason != "" {
				hidden++
			}
			var pick *lcell
			for _, m := range ln.members {
				c := lat.cells[m]
				if c.reason != "" {
					hidden++
				} else if pick == nil || c.n < pick.n {
					pick = c
				}
			}
			if hidden != 1 {
				continue
			}
			if pick == nil {
				pick = margin
			}
			pick.reason = ReasonComplementary
			changed = true
		}
	}
}

// line is one linear relation of the table: margin = sum of members.
type line struct {
	margin  cellID
	members []cellID
}

// lines lists the lines of the published levels (the cells, and the
// one-way margins), in a fixed order.
func (lat *lattice) lines(ids []cellID) []line {
	var out []line
	at := map[[2]int]map[cellID]int{} // (level, dim) -> margin -> index in out
	full := 1<<lat.k - 1
	for _, id := range ids {
		level := id.level(lat.k)
		if level != full && bits.OnesCount(uint(level)) != 1 {
			continue
		}
		for i := range lat.k {
			if level&(1<<i) == 0 {
				continue
			}
			m := id
			m[i] = all
			key := [2]int{level, i}
			if at[key] == nil {
				at[key] = map[cellID]int{}
			}
			j, ok := at[key][m]
			if !ok {
				j = len(out)
				at[key][m] = j
				out = append(out, line{margin: m})
			}
			out[j].members = append(out[j].members, id)
		}
	}
	return out
}
