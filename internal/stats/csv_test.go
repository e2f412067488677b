package stats

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"
)

func TestCSV(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	r := &Report{
		GroupBy:  []Dimension{DimOperation, DimSex},
		Measures: []Measure{MeasureReturneeCount, MeasureShareHighRisk},
		Cells: []Cell{
			{Dimensions: map[Dimension]string{DimOperation: "=HYPERLINK(\"x\")", DimSex: "FEMALE"},
				Values: map[Measure]Value{MeasureReturneeCount: {Value: f(120)}, MeasureShareHighRisk: {Value: f(0.025)}}},
			{Dimensions: map[Dimension]string{DimOperation: "Mehr, 2019", DimSex: "MALE"},
				Values: map[Measure]Value{MeasureReturneeCount: {Reason: ReasonSmallCell}, MeasureShareHighRisk: {Reason: ReasonSmallCell}}},
		},
		Margins: []Cell{{Dimensions: map[Dimension]string{DimSex: "MALE"},
			Values: map[Measure]Value{MeasureReturneeCount: {Reason: ReasonComplementary}, MeasureShareHighRisk: {Reason: ReasonComplementary}}}},
		Total:        Cell{Values: map[Measure]Value{MeasureReturneeCount: {Value: f(1500)}, MeasureShareHighRisk: {}}},
		SuppressUpTo: 10,
		AsOf:         time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
	}
	var buf bytes.Buffer
	if err := r.CSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, buf.String())
	}
	want := [][]string{
		{"row_type", "OPERATION", "SEX", "RETURNEE_COUNT", "RETURNEE_COUNT_STATUS", "SHARE_HIGH_RISK", "SHARE_HIGH_RISK_STATUS", "as_of", "suppress_up_to"},
		{"CELL", "'=HYPERLINK(\"x\")", "FEMALE", "120", "", "0.025", "", "2026-11-25", "10"},
		{"CELL", "Mehr, 2019", "MALE", "", ReasonSmallCell, "", ReasonSmallCell, "2026-11-25", "10"},
		{"MARGIN", "ALL", "MALE", "", ReasonComplementary, "", ReasonComplementary, "2026-11-25", "10"},
		{"TOTAL", "ALL", "ALL", "1500", "", "", "", "2026-11-25", "10"},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d:\n%s", len(recs), len(want), buf.String())
	}
	for i := range want {
		if strings.Join(recs[i], "\x1f") != strings.Join(want[i], "\x1f") {
			t.Errorf("record %d:\n got %q\nwant %q", i, recs[i], want[i])
		}
	}
}

// TestCSVOfComputedReport: a real report renders one row per cell, margin
// and total, and never prints a withheld number.
func TestCSVOfComputedReport(t *testing.T) {
	eachStore(t, func(t *testing.T, name string) {
		w := demo(t, name)
		r := compute(t, w.st, Request{GroupBy: []Dimension{DimCountry, DimAgeBand}}, testConfig())
		var buf bytes.Buffer
		if err := r.CSV(&buf); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(recs), 1+len(r.Cells)+len(r.Margins)+1; got != want {
			t.Fatalf("%d records, want %d", got, want)
		}
		for _, rec := range recs[1:] {
			for i := 3; i+1 < len(rec)-2; i += 2 {
				if rec[i+1] != "" && rec[i] != "" {
					t.Errorf("withheld value printed: %q", rec)
				}
			}
		}
	})
}
