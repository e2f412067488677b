package stats

import "slices"

// median is the median measure of one published cell.
type median struct {
	population int64
	value      float64
}

// medians merges the histogram of days per cell (part 1 of the statement)
// into every level the report publishes (the cells, the one-way margins and
// the total) and takes each one's median, as percentile_cont(0.5) gives it:
// the middle value, or the mean of the two middle values.
func (lat *lattice) medians(hist []histRow) map[cellID]median {
	k := lat.k
	index := make([]map[string]int32, k)
	for i, vals := range lat.values {
		index[i] = make(map[string]int32, len(vals))
		for j, v := range vals {
			index[i][v] = int32(j)
		}
	}
	levels := medianLevels(k)
	counts := map[cellID]map[int64]int64{}
	for _, h := range hist {
		full, ok := lat.totalID(), true
		for i := range k {
			j, found := index[i][h.dims[i]]
			if !found { // a value no counted cell has: cannot happen, as part 0 sees every row
				ok = false
				break
			}
			full[i] = j
		}
		if !ok {
			continue
		}
		for _, l := range levels {
			id := full
			for i := range k {
				if l&(1<<i) == 0 {
					id[i] = all
				}
			}
			c := counts[id]
			if c == nil {
				c = map[int64]int64{}
				counts[id] = c
			}
			c[h.days] += h.count
		}
	}
	out := make(map[cellID]median, len(counts))
	for id, c := range counts {
		days := make([]int64, 0, len(c))
		var n int64
		for d, cnt := range c {
			days = append(days, d)
			n += cnt
		}
		slices.Sort(days)
		lo, hi := (n+1)/2, n/2+1 // 1-based positions of the middle value(s)
		var seen int64
		var vlo, vhi int64
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
