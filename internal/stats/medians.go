package stats

import "slices"

// median is the median measure of one published cell.
type median struct {
	population int64
	value      float64
}

// histogram merges the histogram of days per cell (the report's second
// statement) into every level the report publishes (the cells, the one-way
// margins and the total), row by row as they are read, so a report never
// holds the rows themselves.
type histogram struct {
	k      int
	index  []map[string]int32 // per grouped dimension, value -> index in the lattice
	levels []int
	counts map[cellID]map[int64]int64 // per published cell: days -> returnees
	total  cellID
}

func (lat *lattice) newHistogram() *histogram {
	h := &histogram{k: lat.k, index: make([]map[string]int32, lat.k), levels: medianLevels(lat.k),
		counts: map[cellID]map[int64]int64{}, total: lat.totalID()}
	for i, vals := range lat.values {
		h.index[i] = make(map[string]int32, len(vals))
		for j, v := range vals {
			h.index[i][v] = int32(j)
		}
	}
	return h
}

// add counts count returnees of the cell dims who took days days.
func (h *histogram) add(dims []string, days, count int64) {
	full := h.total
	for i := range h.k {
		j, found := h.index[i][dims[i]]
		if !found { // a value no counted cell has: cannot happen, the aggregates see every row
			return
		}
		full[i] = j
	}
	for _, l := range h.levels {
		id := full
		for i := range h.k {
			if l&(1<<i) == 0 {
				id[i] = all
			}
		}
		c := h.counts[id]
		if c == nil {
			c = map[int64]int64{}
			h.counts[id] = c
		}
		c[days] += count
	}
}

// medians takes each published cell's median, as percentile_cont(0.5)
// gives it: the middle value, or the mean of the two middle values.
func (h *histogram) medians() map[cellID]median {
	out := make(map[cellID]median, len(h.counts))
	for id, c := range h.counts {
		days := make([]int64, 0, len(c))
		var n int64
		for d, cnt := range c {
			days = append(days, d)
			n += cnt
		}
		slices.Sort(days)
		lo, hi := (n+1)/2, n/2+1 // 1-based positions of the middle value(s)
		var seen, vlo, vhi int64
		for _, d := range days {
			before := seen
			seen += c[d]
			if before < lo && lo <= seen {
				vlo = d
			}
			if before < hi && hi <= seen {
				vhi = d
				break
			}
		}
		out[id] = median{population: n, value: float64(vlo+vhi) / 2}
	}
	return out
}
