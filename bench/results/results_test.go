package results

import (
	"strings"
	"testing"
)

// The steal column shows what was read, a dash where nothing was (files
// written before the column existed), and a skipped operation keeps the
// table's shape.
func TestMarkdownShowsStealPerRun(t *testing.T) {
	steal := 2.46
	f := File{Target: "rdrr", Store: "postgres", Runs: []Run{
		{Op: "case", Clients: 1, Throughput: 300, StealPct: &steal},
		{Op: "case", Clients: 8, Throughput: 700},
		{Op: "statistics", Skip: "no equivalent"},
	}}
	md := f.Markdown()
	var rows []string
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "|") {
			rows = append(rows, line)
		}
	}
	if len(rows) != 5 {
		t.Fatalf("want a header, a rule and three rows, got:\n%s", md)
	}
	cells := func(row string) int { return strings.Count(row, "|") - 1 }
	for _, row := range rows {
		if cells(row) != cells(rows[0]) {
			t.Errorf("row %q has %d cells, the header %d", row, cells(row), cells(rows[0]))
		}
	}
	if !strings.HasSuffix(rows[0], "| CPU steal % |") {
		t.Errorf("header %q does not end with the steal column", rows[0])
	}
	if !strings.HasSuffix(rows[2], "| 2.5 |") {
		t.Errorf("run with steal read: %q, want it to end with | 2.5 |", rows[2])
	}
	if !strings.HasSuffix(rows[3], "| - |") {
		t.Errorf("run without steal: %q, want it to end with | - |", rows[3])
	}
}
