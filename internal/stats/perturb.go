package stats

import (
	"fmt"
	"math"
	"sync"
)

// Cell-key perturbation (the ABS/ONS method). Every returnee has a
// permanent random record key 0..255 (returnees.stats_key). The key of a
// cell is the sum of its members' record keys mod 256, so it depends only
// on WHO is in the cell, not on the query that produced it. A fixed table
// maps (cell key, count) to a small noise. Hence:
//   - the same set of people always gets the same noise, however and however
//     often it is asked for: averaging repeated answers gives nothing;
//   - two sets that differ by even one person have independent keys (the
//     extra person's key is uniform), so their noises are independent and
//     subtracting two published counts does not cancel the noise.

// ptableRows is how many differently shuffled rows the table has; a count n
// reads row (n-1) mod ptableRows, so equal keys with different counts get
// unrelated noise.
const ptableRows = 32

// defaultTableSeed is the built-in shuffle of the table.
const defaultTableSeed = 0x5244_5252_5354_4154 // "RDRRSTAT"

// ptable is a perturbation table: for each row and each of the 256 cell
// keys, a noise in -maxNoise..+maxNoise. Each row holds the same multiset
// of noises (slots[i] keys give noise i-maxNoise), in its own order.
type ptable struct {
	maxNoise int
	slots    []int // slots[i]: how many of the 256 keys give noise i-maxNoise
	rows     [ptableRows][256]int8
}

var ptables sync.Map // ptableParams -> *ptable

type ptableParams struct {
	maxNoise int
	variance float64
	seed     uint64
}

// tableFor returns the (memoised) table of a normalised configuration.
func tableFor(cfg Config) *ptable {
	p := ptableParams{cfg.MaxNoise, cfg.NoiseVariance, cfg.TableSeed}
	if p.seed == 0 {
		p.seed = defaultTableSeed
	}
	if t, ok := ptables.Load(p); ok {
		return t.(*ptable)
	}
	t := buildPTable(p)
	ptables.Store(p, t)
	return t
}

// buildPTable allots the 256 keys to noises so that the noise has mean 0
// (the allotment is symmetric) and the requested variance, with the most
// even spread possible (the maximum-entropy, discrete-Gaussian shape
// p(i) ~ exp(-lambda*i^2)): the flatter the distribution, the less often
// two independent noises coincide, which is what lets a difference of two
// published counts give the exact difference.
func buildPTable(p ptableParams) *ptable {
	d := p.maxNoise
	probs := func(lambda float64) []float64 {
		w := make([]float64, 2*d+1)
		var sum float64
		for i := -d; i <= d; i++ {
			w[i+d] = math.Exp(-lambda * float64(i*i))
			sum += w[i+d]
		}
		for i := range w {
			w[i] /= sum
		}
		return w
	}
	variance := func(w []float64) float64 {
		var v float64
		for i := -d; i <= d; i++ {
			v += w[i+d] * float64(i*i)
		}
		return v
	}
	// The variance falls as lambda grows: bisect for the target.
	lo, hi := 0.0, 50.0
	for range 200 {
		mid := (lo + hi) / 2
		if variance(probs(mid)) > p.variance {
			lo = mid
		} else {
			hi = mid
		}
	}
	w := probs(hi)
	t := &ptable{maxNoise: d, slots: make([]int, 2*d+1)}
	rest := 256
	for i := 1; i <= d; i++ {
		s := int(math.Round(256 * w[d+i]))
		t.slots[d+i], t.slots[d-i] = s, s
		rest -= 2 * s
	}
	t.slots[d] = rest
	base := make([]int8, 0, 256)
	for i, s := range t.slots {
		for range s {
			base = append(base, int8(i-d))
		}
	}
	if len(base) != 256 || rest < 1 {
		panic(fmt.Sprintf("stats: perturbation table allots %d keys, zero noise %d", len(base), rest))
	}
	// Shuffle each row with splitmix64, our own generator, so the table
	// never changes with a Go release: published noise must stay put.
	for r := range ptableRows {
		row := t.rows[r][:]
		copy(row, base)
		state := p.seed ^ (uint64(r+1) * 0x9E3779B97F4A7C15)
		for i := len(row) - 1; i > 0; i-- {
			j := int(splitmix64(&state) % uint64(i+1))
			row[i], row[j] = row[j], row[i]
		}
	}
	return t
}

func splitmix64(s *uint64) uint64 {
	*s += 0x9E3779B97F4A7C15
	z := *s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// noise is the perturbation of a count n whose members' record keys sum to
// keySum. Zero stays zero: an empty cell has no members to protect.
func (t *ptable) noise(keySum, n int64) int64 {
	if n <= 0 {
		return 0
	}
	key := keySum % 256
	return int64(t.rows[(n-1)%ptableRows][key])
}

// perturb returns the published value of a count: n plus its noise, never
// below zero.
func (t *ptable) perturb(keySum, n int64) int64 {
	return max(0, n+t.noise(keySum, n))
}

// variance is the realised variance of the noise (after rounding the
// allotment to whole keys).
func (t *ptable) variance() float64 {
	var v float64
	for i, s := range t.slots {
		k := float64(i - t.maxNoise)
		v += float64(s) / 256 * k * k
	}
	return v
}

// coincidence is the chance that two independent noises are equal: how
// often subtracting two published counts gives the exact difference.
func (t *ptable) coincidence() float64 {
	var c float64
	for _, s := range t.slots {
		p := float64(s) / 256
		c += p * p
	}
	return c
}
