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
// whether the targets are met, and rdrr's memory under 32 clients.
func Compare(files []File, reads []string) string {
	var b strings.Builder
	stores, clients := storesAndClients(files)
	for _, store := range stores {
		fmt.Fprintf(&b, "\n### Ratios on %s\n\n", store)
		b.WriteString("rdrr/PostGraphile is throughput (higher is better, target ≥ 2 on reads); rdrr/raw is p50 latency (lower is better, target ≤ 3 on reads).\n\n")
		b.WriteString("| operation | clients | rdrr req/s | PostGraphile req/s | rdrr/PostGraphile | rdrr p50 ms | raw SQL p50 ms | rdrr/raw | raw SQL req/s |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, op := range append(append([]string(nil), reads...), "mutations") {
			for _, c := range clients {
				rd, ok := find(files, "rdrr", store, op, c)
				if !ok {
					continue
				}
				pg, hasPG := find(files, "postgraphile", store, op, c)
				raw, hasRaw := find(files, "raw", store, op, c)
				read := op != "mutations"
				fmt.Fprintf(&b, "| %s | %d | %.1f | %s | %s | %.2f | %s | %s | %s |\n", op, c, rd.Throughput,
					opt(hasPG, "%.1f", pg.Throughput),
					verdict(hasPG && pg.Throughput > 0, rd.Throughput/pg.Throughput, read, func(x float64) bool { return x >= MinThroughputVsPostGraphile }),
					rd.P50ms, opt(hasRaw, "%.2f", raw.P50ms),
					verdict(hasRaw && raw.P50ms > 0, rd.P50ms/raw.P50ms, read, func(x float64) bool { return x <= MaxP50VsRawSQL }),
					opt(hasRaw, "%.1f", raw.Throughput))
			}
		}
		b.WriteString(summary(files, store, reads, clients))
	}
	return b.String()
}

// summary says, per read operation, whether each target holds at every
// client count, and gives rdrr's peak memory under the most clients.
func summary(files []File, store string, reads []string, clients []int) string {
	var b strings.Builder
	b.WriteString("\n| read operation | rdrr ≥ 2× PostGraphile throughput | rdrr p50 ≤ 3× raw SQL |\n|---|---|---|\n")
	for _, op := range reads {
		var tput, lat []string
		tputOK, latOK, anyPG, anyRaw := true, true, false, false
		for _, c := range clients {
			rd, ok := find(files, "rdrr", store, op, c)
			if !ok {
				continue
			}
			if pg, ok := find(files, "postgraphile", store, op, c); ok && pg.Throughput > 0 {
				anyPG = true
				x := rd.Throughput / pg.Throughput
				tput = append(tput, fmt.Sprintf("%d: %.2f×", c, x))
				tputOK = tputOK && x >= MinThroughputVsPostGraphile
			}
			if raw, ok := find(files, "raw", store, op, c); ok && raw.P50ms > 0 {
				anyRaw = true
				x := rd.P50ms / raw.P50ms
				lat = append(lat, fmt.Sprintf("%d: %.2f×", c, x))
				latOK = latOK && x <= MaxP50VsRawSQL
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
