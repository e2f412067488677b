package stats

import "math/bits"

// The line heuristic (suppress.go) makes sure no withheld value is the only
// unknown of a line, but several lines together can still pin one down
// (say, a withheld cell whose row and column partners are withheld only in
// lines that are otherwise complete). The audit solves the whole linear
// system of the published lines exactly, the way an attacker would, and
// finds every withheld value that is determined; each is then protected by
// withholding one more cell beside it, and the heuristic and the audit run
// again until nothing is determined.

// auditPrime is the modulus of the exact elimination: 2^61-1. Working in
// the integers mod a large prime is exact, fast and free of rounding; the
// rank it finds differs from the rational rank only if the prime divides a
// minor of a 0/±1 matrix, which for tables of this size does not happen in
// practice.
const auditPrime = 1<<61 - 1

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// 2^64 = 8 (mod 2^61-1): fold the high part down.
	_, rem := bits.Div64(hi%auditPrime, lo, auditPrime)
	return rem
}

func powMod(a, e uint64) uint64 {
	r := uint64(1)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
	}
	return r
}

func invMod(a uint64) uint64 { return powMod(a, auditPrime-2) }

// determined returns the withheld cells of the lines whose value follows
// from the published ones. Unknowns are the withheld cells; each line is
// the equation margin - sum(members) = published part.
func (lat *lattice) determined(lines []line) []cellID {
	col := map[cellID]int{}
	var unknowns []cellID
	var rows [][]uint64
	for _, ln := range lines {
		var row map[int]uint64
		term := func(id cellID, coef uint64) {
			if lat.cells[id].reason == "" {
				return
			}
			j, ok := col[id]
			if !ok {
				j = len(unknowns)
				col[id] = j
				unknowns = append(unknowns, id)
			}
			if row == nil {
				row = map[int]uint64{}
			}
			row[j] = (row[j] + coef) % auditPrime
		}
		term(ln.margin, 1)
		for _, m := range ln.members {
			term(m, auditPrime-1)
		}
		if row != nil {
			dense := make([]uint64, 0, len(row))
			for j, v := range row {
				for len(dense) <= j {
					dense = append(dense, 0)
				}
				dense[j] = v
			}
			rows = append(rows, dense)
		}
	}
	n := len(unknowns)
	if n == 0 {
		return nil
	}
	for i := range rows {
		for len(rows[i]) < n {
			rows[i] = append(rows[i], 0)
		}
	}
	// Reduced row echelon form.
	pivotRow := make([]int, n)
	for j := range pivotRow {
		pivotRow[j] = -1
	}
	r := 0
	for c := 0; c < n && r < len(rows); c++ {
		p := -1
		for i := r; i < len(rows); i++ {
			if rows[i][c] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[r], rows[p] = rows[p], rows[r]
		inv := invMod(rows[r][c])
		for k := c; k < n; k++ {
			rows[r][k] = mulMod(rows[r][k], inv)
		}
		for i := range rows {
			if i == r || rows[i][c] == 0 {
				continue
			}
			f := rows[i][c]
			for k := c; k < n; k++ {
				if rows[r][k] != 0 {
					rows[i][k] = (rows[i][k] + auditPrime - mulMod(f, rows[r][k])) % auditPrime
				}
			}
		}
		pivotRow[c] = r
		r++
	}
	// A pivot variable is determined when its row involves no free
	// variable; a free variable never is.
	var out []cellID
	for c, pr := range pivotRow {
		if pr < 0 {
			continue
		}
		free := false
		for k := range n {
			if k != c && pivotRow[k] < 0 && rows[pr][k] != 0 {
				free = true
				break
			}
		}
		if !free {
			out = append(out, unknowns[c])
		}
	}
	return out
}

// protectDetermined withholds, for the first determined value, the
// smallest published non-empty cell of a line through it (the margin if no
// member is left). It reports whether it withheld anything.
func (lat *lattice) protectDetermined(lines []line) bool {
	det := lat.determined(lines)
	if len(det) == 0 {
		return false
	}
	target := det[0]
	var pick *lcell
	consider := func(id cellID) {
		c := lat.cells[id]
		if c.reason == "" && c.n > 0 && (pick == nil || c.n < pick.n) {
			pick = c
		}
	}
	for _, ln := range lines {
		in := ln.margin == target
		for _, m := range ln.members {
			in = in || m == target
		}
		if !in {
			continue
		}
		for _, m := range ln.members {
			consider(m)
		}
	}
	if pick == nil {
		for _, ln := range lines {
			for _, m := range ln.members {
				if m == target {
					consider(ln.margin)
				}
			}
		}
	}
	if pick == nil {
		// Every neighbour is already withheld: nothing left to add here
		// (cannot happen while the value is determined, but never loop).
		return false
	}
	pick.reason = ReasonComplementary
	return true
}
