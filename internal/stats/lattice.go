package stats

import (
	"math/bits"
	"slices"
)

// The lattice is the report's table together with all its margins: every
// combination of the grouped dimensions' values at every level of
// aggregation (2^k levels for k dimensions). Disclosure control works on
// all of it, because a margin that this report does not print (a
// two-way margin of a three-way table) is one query away for an analyst.
// It is built in Go from the few hundred aggregate rows the database
// returns: counts and cell keys add up, so no level needs another query.

// aggRow is one row of the aggregate query: a combination of values of
// the touched dimensions and what its returnees add up to.
type aggRow struct {
	vals        []string // per touched dimension
	n, keySum   int64
	num, numKey []int64 // per share measure: subset members and their key sum
}

// cellID names a lattice cell: per grouped dimension, the index of its
// value, or all for a dimension aggregated away.
type cellID [MaxGroupBy]int32

const all int32 = -1

// level is the bit mask of the dimensions the cell keeps.
func (id cellID) level(k int) int {
	l := 0
	for i := range k {
		if id[i] != all {
			l |= 1 << i
		}
	}
	return l
}

// lcell is one lattice cell.
type lcell struct {
	id          cellID
	n, keySum   int64   // returnees passing every filter
	num, numKey []int64 // per share measure
	// The returnees the filters remove from this cell: compAll those
	// failing any filter, compOne[j] those failing only the filter on
	// touched dimension j. Differencing the report with one that drops
	// the filter(s) would reveal them (suppress.go).
	compAll int64
	compOne []int64

	published int64  // perturbed count
	reason    string // "" or a suppression reason
}

type lattice struct {
	k      int
	values [][]string // per grouped dimension, the values seen, in display order
	cells  map[cellID]*lcell
}

// buildLattice sums the aggregate rows into every lattice cell, applying
// the report's filters.
func buildLattice(p *plan, rows []aggRow) *lattice {
	k := len(p.groupBy)
	nShares := len(p.shares)
	lat := &lattice{k: k, values: make([][]string, k), cells: map[cellID]*lcell{}}

	// Values of the grouped dimensions, in display order, for stable ids.
	for i, dim := range p.groupBy {
		seen := map[string]bool{}
		for _, r := range rows {
			if v := r.vals[i]; !seen[v] {
				seen[v] = true
				lat.values[i] = append(lat.values[i], v)
			}
		}
		slices.SortFunc(lat.values[i], func(a, b string) int { return compareValues(dim, a, b) })
	}
	index := make([]map[string]int32, k)
	for i, vals := range lat.values {
		index[i] = make(map[string]int32, len(vals))
		for j, v := range vals {
			index[i][v] = int32(j)
		}
	}
	filters := make([]map[string]bool, len(p.touched))
	for j, dim := range p.touched {
		if vals, ok := p.where[dim]; ok {
			filters[j] = map[string]bool{}
			for _, v := range vals {
				filters[j][v] = true
			}
		}
	}
	groupedMask := 1<<k - 1
	for _, r := range rows {
		fails := 0 // bit j: the row fails the filter on touched dimension j
		for j, f := range filters {
			if f != nil && !f[r.vals[j]] {
				fails |= 1 << j
			}
		}
		full := lat.totalID()
		for i := range k {
			full[i] = index[i][r.vals[i]]
		}
		for level := 0; level <= groupedMask; level++ {
			if fails&level != 0 {
				continue // a kept value outside its filter: not a cell of this report
			}
			id := full
			for i := range k {
				if level&(1<<i) == 0 {
					id[i] = all
				}
			}
			c := lat.cells[id]
			if c == nil {
				c = &lcell{id: id, num: make([]int64, nShares), numKey: make([]int64, nShares), compOne: make([]int64, len(p.touched))}
				lat.cells[id] = c
			}
			switch removed := fails &^ level; {
			case removed == 0:
				c.n += r.n
				c.keySum += r.keySum
				for s := range nShares {
					c.num[s] += r.num[s]
					c.numKey[s] += r.numKey[s]
				}
			default:
				c.compAll += r.n
				if bits.OnesCount(uint(removed)) == 1 {
					c.compOne[bits.TrailingZeros(uint(removed))] += r.n
				}
			}
		}
	}
	// A cell nobody passes the filters into is an empty cell: dropped
	// (empty cells are not listed; the total is always reported).
	for id, c := range lat.cells {
		if c.n == 0 && id.level(k) != 0 {
			delete(lat.cells, id)
		}
	}
	if _, ok := lat.cells[lat.totalID()]; !ok {
		lat.cells[lat.totalID()] = &lcell{id: lat.totalID(), num: make([]int64, nShares), numKey: make([]int64, nShares), compOne: make([]int64, len(p.touched))}
	}
	return lat
}

func (lat *lattice) totalID() cellID {
	var id cellID
	for i := range id {
		id[i] = all
	}
	return id
}

// sortedIDs returns the cells' ids in a fixed order: by level, then by the
// values' display order. Everything that iterates cells uses it, so the
// result never depends on map order.
func (lat *lattice) sortedIDs() []cellID {
	ids := make([]cellID, 0, len(lat.cells))
	for id := range lat.cells {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b cellID) int {
		if la, lb := a.level(lat.k), b.level(lat.k); la != lb {
			return lb - la // finest first
		}
		for i := range lat.k {
			if a[i] != b[i] {
				return int(a[i] - b[i])
			}
		}
		return 0
	})
	return ids
}
