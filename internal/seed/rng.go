package seed

import (
	"math/rand/v2"
	"time"

	"github.com/rdrr-project/rdrr/internal/gid"
)

// Two fixed second halves of the PCG seed. Data values and IDs come from
// separate streams so that an ID never depends on how many random numbers a
// record's text happened to draw, only on how many entities came before it.
const (
	dataStream uint64 = 0x5eed_da7a_2019_0107
	idStream   uint64 = 0x5eed_1d5a_2019_0530
)

// today is the fixed "now" of the demo world. Using a constant instead of
// time.Now keeps every run byte-identical and the ages and durations in the
// data stable however old the binary is.
var today = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// gen is the deterministic random source of one Demo run.
type gen struct {
	r     *rand.Rand // data values
	ids   *rand.Rand // ID bytes
	idSrc gid.Source
}

func newGen(seed int64) *gen {
	g := &gen{
		r:   rand.New(rand.NewPCG(uint64(seed), dataStream)),
		ids: rand.New(rand.NewPCG(uint64(seed), idStream)),
	}
	g.idSrc = g.fillID
	return g
}

// fillID is the gid.Source: it fills p from the ID stream, 8 bytes at a time.
func (g *gen) fillID(p []byte) {
	for i := 0; i < len(p); i += 8 {
		v := g.ids.Uint64()
		for j := 0; j < 8 && i+j < len(p); j++ {
			p[i+j] = byte(v >> (8 * j))
		}
	}
}

// id returns the next ID with the given prefix.
func (g *gen) id(prefix string) gid.ID { return gid.NewFrom(prefix, g.idSrc) }

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// between returns an int in [lo, hi].
func (g *gen) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

// pick returns a random element of xs.
func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// choice is one weighted option.
type choice[T any] struct {
	v T
	w int
}

// pickW returns an option with probability proportional to its weight.
func pickW[T any](g *gen, cs []choice[T]) T {
	total := 0
	for _, c := range cs {
		total += c.w
	}
	n := g.r.IntN(total)
	for _, c := range cs {
		if n < c.w {
			return c.v
		}
		n -= c.w
	}
	return cs[len(cs)-1].v
}

// date returns midnight UTC of the given day.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// addDays moves a date by n days.
func addDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// days returns the whole days from a to b.
func days(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

// dateIn returns a date in [a, b] (a when b is before a).
func (g *gen) dateIn(a, b time.Time) time.Time {
	n := days(a, b)
	if n <= 0 {
		return a
	}
	return addDays(a, g.r.IntN(n+1))
}

// clock returns date d at a working-hours time of day, for timestamps
// (team membership, consent) that are instants rather than dates.
func (g *gen) clock(d time.Time) time.Time {
	return d.Add(time.Duration(8*3600+g.r.IntN(9*3600)) * time.Second)
}

// minDate and maxDate keep generated dates inside a window.
func minDate(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxDate(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
