package results

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// The targets.
const (
	MinThroughputVsPostGraphile = 2.0   // rdrr req/s over PostGraphile's, on every read
	MaxP50VsRawSQL              = 3.0   // rdrr p50 over the raw-SQL baseline's, on every read
	MaxRSSMB                    = 250.0 // rdrr's resident set under 32 clients on the 100k seed
)

// Load reads result files written by the suite.
func Load(paths []string) ([]File, error) {
	var out []File
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var f File
		if err := json.Unmarshal(b, &f); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// find returns the run of target on store for op at clients.
func find(files []File, target, store, op string, clients int) (Run, bool) {
	for _, f := range files {
		if f.Target != target || f.Store != store {
			continue
		}
		for _, r := range f.Runs {
			if r.Op == op && r.Clients == clients && r.Skip == "" {
				return r, true
			}
		}
	}
	return Run{}, false
}

// Compare renders, per store, the ratios of rdrr to the baselines and
// whether the targets are met, and rdrr's memory under 32 clients. When
// files hold several rounds (File.Round), see compareRounds.
func Compare(files []File, reads []string) string {
	if rounds := byRound(files); len(rounds) > 1 {
		return compareRounds(files, rounds, reads)
	}
	var b strings.Builder
	stores, clients := storesAndClients(files)
	for _, store := range stores {
		fmt.Fprintf(&b, "\n### Ratios on %s\n\n", store)
		b.WriteString("rdrr/PostGraphile is throughput (higher is better, target ≥ 2 on reads); rdrr/raw is p50 latency (lower is better, target ≤ 3 on reads). One statement is the case read by hand-written SQL in one statement that PostgreSQL turns into JSON (bench/cmd/rawsql/case_one.sql); audited, the same with the viewer's case-team rule and an audit row written by the statement (case_one_audited.sql).\n\n")
		b.WriteString("| operation | clients | rdrr req/s | PostGraphile req/s | rdrr/PostGraphile | rdrr p50 ms | raw SQL p50 ms | rdrr/raw | raw SQL req/s |")
		for _, f := range caseFloors {
			b.WriteString(" " + f.label + " req/s |")
		}
		b.WriteString("\n|---|---:|---:|---:|---:|---:|---:|---:|---:|" + strings.Repeat("---:|", len(caseFloors)) + "\n")
		for _, op := range append(append([]string(nil), reads...), "mutations") {
			for _, c := range clients {
				rd, ok := find(files, "rdrr", store, op, c)
				if !ok {
					continue
				}
				pg, hasPG := find(files, "postgraphile", store, op, c)
				raw, hasRaw := find(files, "raw", store, op, c)
				x, _ := ratiosOf(files, store, op, c)
				read := op != "mutations"
				fmt.Fprintf(&b, "| %s | %d | %.1f | %s | %s | %.2f | %s | %s | %s |", op, c, rd.Throughput,
					opt(hasPG, "%.1f", pg.Throughput), verdict(x.hasTput, x.tput, read, tputMet),
					rd.P50ms, opt(hasRaw, "%.2f", raw.P50ms), verdict(x.hasLat, x.lat, read, latMet),
					opt(hasRaw, "%.1f", raw.Throughput))
				for _, f := range caseFloors {
					run, ok := find(files, f.target, store, op, c)
					b.WriteString(" " + opt(ok, "%.1f", run.Throughput) + " |")
				}
				b.WriteString("\n")
			}
		}
		b.WriteString(summary(files, store, reads, clients, func(op string, c int) (ratios, bool) { return ratiosOf(files, store, op, c) }))
	}
	return b.String()
}

// compareRounds renders the ratios of a suite run in rounds: every round
// ran each target once, one after another, so each round's rdrr is
// compared with the baselines of the same round, and a ratio is the median
// of the rounds' ratios. The machine's speed drifts by more than rdrr's
// changes do between minutes (docs/benchmarks.md); the rounds' spread
// shows by how much, and the median does not move with one slow round.
func compareRounds(files []File, rounds map[int][]File, reads []string) string {
	var b strings.Builder
	stores, clients := storesAndClients(files)
	nums := make([]int, 0, len(rounds))
	for n := range rounds {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, store := range stores {
		fmt.Fprintf(&b, "\n### Ratios on %s, median of %d rounds\n\n", store, len(nums))
		b.WriteString("rdrr/PostGraphile is throughput (higher is better, target ≥ 2 on reads); rdrr/raw is p50 latency (lower is better, target ≤ 3 on reads); each round's rdrr against the same round's baselines, the rounds in order, then their median. raw/PostGraphile is the hand-written floor's throughput over PostGraphile's in the same round (a statement per edge, as rdrr reads): where it is under 2, the throughput target asks rdrr to beat the floor of its own design. One statement/PostGraphile is the same for the case read in one statement that PostgreSQL turns into JSON (bench/cmd/rawsql/case_one.sql), the floor of a design that compiles a query into one statement; audited/PostGraphile the same with the viewer's case-team rule and an audit row written by that statement (case_one_audited.sql).\n\n")
		b.WriteString("| operation | clients | rdrr/PostGraphile by round | median | rdrr/raw by round | median | rdrr req/s by round | raw/PostGraphile by round |")
		for _, f := range caseFloors {
			b.WriteString(" " + f.label + "/PostGraphile by round |")
		}
		b.WriteString("\n|---|---:|---|---:|---|---:|---|---|" + strings.Repeat("---|", len(caseFloors)) + "\n")
		median := func(op string, c int) (ratios, bool) { return medianRatios(rounds, nums, store, op, c) }
		for _, op := range append(append([]string(nil), reads...), "mutations") {
			for _, c := range clients {
				m, ok := median(op, c)
				if !ok {
					continue
				}
				var tputs, lats, tps []string
				floors := make([][]string, 1+len(caseFloors)) // raw's, then caseFloors'
				targets := []string{"raw"}
				for _, f := range caseFloors {
					targets = append(targets, f.target)
				}
				for _, n := range nums {
					x, ok := ratiosOf(rounds[n], store, op, c)
					rd, _ := find(rounds[n], "rdrr", store, op, c)
					tputs = append(tputs, opt(ok && x.hasTput, "%.2f", x.tput))
					lats = append(lats, opt(ok && x.hasLat, "%.2f", x.lat))
					tps = append(tps, opt(ok, "%.1f", rd.Throughput))
					for i, target := range targets {
						floors[i] = append(floors[i], floorOf(rounds[n], target, store, op, c))
					}
				}
				read := op != "mutations"
				fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s |", op, c,
					strings.Join(tputs, " / "), verdict(m.hasTput, m.tput, read, tputMet),
					strings.Join(lats, " / "), verdict(m.hasLat, m.lat, read, latMet), strings.Join(tps, " / "))
				for _, f := range floors {
					b.WriteString(" " + strings.Join(f, " / ") + " |")
				}
				b.WriteString("\n")
			}
		}
		b.WriteString(summary(files, store, reads, clients, median))
	}
	return b.String()
}

// caseFloors are the hand-written baselines of the case alone, after raw
// SQL in the tables: rawsql -case-statements one and one-audited
// (workload.RawOne, workload.RawOneAudit), with their columns' labels.
var caseFloors = []struct{ target, label string }{
	{"raw1", "one statement"},
	{"raw1a", "audited"},
}

// floorOf is a hand-written baseline's (raw or a caseFloors target) throughput over
// PostGraphile's for one operation at one client count in one round's
// files, or "n/a" where either did not run.
func floorOf(files []File, target, store, op string, c int) string {
	raw, hasRaw := find(files, target, store, op, c)
	pg, hasPG := find(files, "postgraphile", store, op, c)
	return opt(hasRaw && hasPG && pg.Throughput > 0, "%.2f", raw.Throughput/pg.Throughput)
}

// ratios are rdrr's throughput over PostGraphile's and p50 over raw SQL's
// for one operation at one client count, where both ran.
type ratios struct {
	tput, lat       float64
	hasTput, hasLat bool
}

// ratiosOf returns the ratios of one round's files; false when rdrr did
// not run op at c.
func ratiosOf(files []File, store, op string, c int) (ratios, bool) {
	rd, ok := find(files, "rdrr", store, op, c)
	if !ok {
		return ratios{}, false
	}
	var x ratios
	if pg, ok := find(files, "postgraphile", store, op, c); ok && pg.Throughput > 0 {
		x.tput, x.hasTput = rd.Throughput/pg.Throughput, true
	}
	if raw, ok := find(files, "raw", store, op, c); ok && raw.P50ms > 0 {
		x.lat, x.hasLat = rd.P50ms/raw.P50ms, true
	}
	return x, true
}

// medianRatios returns the median of each ratio over the rounds that have it.
func medianRatios(rounds map[int][]File, nums []int, store, op string, c int) (ratios, bool) {
	var tputs, lats []float64
	found := false
	for _, n := range nums {
		x, ok := ratiosOf(rounds[n], store, op, c)
		if !ok {
			continue
		}
		found = true
		if x.hasTput {
			tputs = append(tputs, x.tput)
		}
		if x.hasLat {
			lats = append(lats, x.lat)
		}
	}
	var m ratios
	m.tput, m.hasTput = medianOf(tputs)
	m.lat, m.hasLat = medianOf(lats)
	return m, found
}

// medianOf returns the median of xs (the mean of the middle two when
// there is an even number); false when xs is empty.
func medianOf(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

// byRound groups files by File.Round.
func byRound(files []File) map[int][]File {
	out := map[int][]File{}
	for _, f := range files {
		out[f.Round] = append(out[f.Round], f)
	}
	return out
}

func tputMet(x float64) bool { return x >= MinThroughputVsPostGraphile }
func latMet(x float64) bool  { return x <= MaxP50VsRawSQL }

// summary says, per read operation, whether each target holds at every
// client count (by ratio, one round's or the rounds' median), and gives
// rdrr's peak memory under the most clients in any round.
func summary(files []File, store string, reads []string, clients []int, ratio func(op string, c int) (ratios, bool)) string {
	var b strings.Builder
	b.WriteString("\n| read operation | rdrr ≥ 2× PostGraphile throughput | rdrr p50 ≤ 3× raw SQL |\n|---|---|---|\n")
	for _, op := range reads {
		var tput, lat []string
		tputOK, latOK, anyPG, anyRaw := true, true, false, false
		for _, c := range clients {
			x, ok := ratio(op, c)
			if !ok {
				continue
			}
			if x.hasTput {
				anyPG = true
				tput = append(tput, fmt.Sprintf("%d: %.2f×", c, x.tput))
				tputOK = tputOK && tputMet(x.tput)
			}
			if x.hasLat {
				anyRaw = true
				lat = append(lat, fmt.Sprintf("%d: %.2f×", c, x.lat))
				latOK = latOK && latMet(x.lat)
			}
		}
		if why := skipped(files, store, op); why != "" {
			fmt.Fprintf(&b, "| %s | skipped: %s | skipped |\n", op, why)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", op, met(anyPG, tputOK, tput), met(anyRaw, latOK, lat))
	}
	top := clients[len(clients)-1]
	var rss, hwm float64
	for _, f := range files {
		if f.Target != "rdrr" || f.Store != store {
			continue
		}
		for _, r := range f.Runs {
			if r.Clients == top {
				rss = max(rss, r.MaxRSSMB)
			}
			hwm = max(hwm, r.HWMMB)
		}
	}
	verdict := "met"
	if rss > MaxRSSMB {
		verdict = "NOT met"
	}
	fmt.Fprintf(&b, "\nrdrr's largest resident set under %d clients: %.0f MB (VmHWM, the peak since start, at the end: %.0f MB); target ≤ %.0f MB: %s.\n", top, rss, hwm, MaxRSSMB, verdict)
	return b.String()
}

// skipped returns why rdrr did not run op on store, if it did not.
func skipped(files []File, store, op string) string {
	for _, f := range files {
		if f.Target != "rdrr" || f.Store != store {
			continue
		}
		for _, r := range f.Runs {
			if r.Op == op && r.Skip != "" {
				return r.Skip
			}
		}
	}
	return ""
}

func met(measured, ok bool, detail []string) string {
	switch {
	case !measured:
		return "not measured"
	case ok:
		return "met (" + strings.Join(detail, ", ") + ")"
	default:
		return "**NOT met** (" + strings.Join(detail, ", ") + ")"
	}
}

func opt(ok bool, format string, v float64) string {
	if !ok {
		return "n/a"
	}
	return fmt.Sprintf(format, v)
}

// verdict renders a ratio with ✓ or ✗ against its target (reads only).
func verdict(ok bool, x float64, read bool, met func(float64) bool) string {
	if !ok {
		return "n/a"
	}
	s := fmt.Sprintf("%.2f", x)
	if !read {
		return s
	}
	if met(x) {
		return s + " ✓"
	}
	return s + " ✗"
}

func storesAndClients(files []File) ([]string, []int) {
	ss, cs := map[string]bool{}, map[int]bool{}
	for _, f := range files {
		ss[f.Store] = true
		for _, r := range f.Runs {
			if r.Clients > 0 {
				cs[r.Clients] = true
			}
		}
	}
	var stores []string
	for s := range ss {
		stores = append(stores, s)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(stores))) // sqlite, then postgres
	var clients []int
	for c := range cs {
		clients = append(clients, c)
	}
	sort.Ints(clients)
	return stores, clients
}
