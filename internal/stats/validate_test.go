package stats

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestValidateRequest: unknown dimensions, measures and filter values,
// repeats, empty filters and too many dimensions are refused with the
// offending field named.
func TestValidateRequest(t *testing.T) {
	cases := []struct {
		name  string
		req   Request
		field string
		err   error
	}{
		{"unknown dimension", Request{GroupBy: []Dimension{DimSex, "NAME"}}, "groupBy[1]", ErrUnknownDimension},
		{"lower case dimension", Request{GroupBy: []Dimension{"sex"}}, "groupBy[0]", ErrUnknownDimension},
		{"repeated dimension", Request{GroupBy: []Dimension{DimSex, DimSex}}, "groupBy[1]", ErrDuplicate},
		{"five dimensions", Request{GroupBy: []Dimension{DimCountry, DimSex, DimPhase, DimAgeBand, DimCustody}}, "groupBy", ErrTooManyDimensions},
		{"unknown measure", Request{Measures: []Measure{MeasureReturneeCount, "AVERAGE_AGE"}}, "measures[1]", ErrUnknownMeasure},
		{"repeated measure", Request{Measures: []Measure{MeasureShareHighRisk, MeasureShareHighRisk}}, "measures[1]", ErrDuplicate},
		{"filter on unknown dimension", Request{Where: map[Dimension][]string{"RETURNEE_ID": {"ret_1"}}}, "where", ErrUnknownDimension},
		{"unknown sex", Request{Where: map[Dimension][]string{DimSex: {"FEMALE", "X"}}}, "where.sex[1]", ErrUnknownValue},
		{"unknown age band", Request{Where: map[Dimension][]string{DimAgeBand: {"45-54"}}}, "where.ageBand[0]", ErrUnknownValue},
		{"unknown phase", Request{Where: map[Dimension][]string{DimPhase: {"released"}}}, "where.phase[0]", ErrUnknownValue},
		{"unknown custody", Request{Where: map[Dimension][]string{DimCustody: {"HOTEL"}}}, "where.custody[0]", ErrUnknownValue},
		{"unknown category", Request{Where: map[Dimension][]string{DimCategory: {"ADULT"}}}, "where.category[0]", ErrUnknownValue},
		{"country not a code", Request{Where: map[Dimension][]string{DimCountry: {"Kazakhstan"}}}, "where.country[0]", ErrUnknownValue},
		{"country lower case", Request{Where: map[Dimension][]string{DimCountry: {"kz"}}}, "where.country[0]", ErrUnknownValue},
		{"country not assigned", Request{Where: map[Dimension][]string{DimCountry: {"QQ"}}}, "where.country[0]", ErrUnknownValue},
		{"year as a date", Request{Where: map[Dimension][]string{DimReturnYear: {"2019-05-10"}}}, "where.returnYear[0]", ErrUnknownValue},
		{"year injection", Request{Where: map[Dimension][]string{DimReturnYear: {"2019' OR '1'='1"}}}, "where.returnYear[0]", ErrUnknownValue},
		{"empty filter", Request{Where: map[Dimension][]string{DimSex: {}}}, "where.sex", ErrEmptyFilter},
		{"repeated value", Request{Where: map[Dimension][]string{DimSex: {"MALE", "MALE"}}}, "where.sex[1]", ErrDuplicate},
		{"operation with control character", Request{Where: map[Dimension][]string{DimOperation: {"Zhusan\x00"}}}, "where.operation[0]", ErrUnknownValue},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateRequest(tc.req)
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("got %v, want an *InvalidError", err)
			}
			if inv.Field != tc.field || !errors.Is(err, tc.err) {
				t.Errorf("got field %q (%v), want %q (%v)", inv.Field, inv.Err, tc.field, tc.err)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("message %q does not name %q", err, tc.field)
			}
		})
	}
	good := []Request{
		{},
		{GroupBy: []Dimension{DimCountry, DimPhase, DimSex, DimAgeBand}},
		{GroupBy: []Dimension{DimOperation}, Where: map[Dimension][]string{
			DimCountry: {"KZ", "UZ"}, DimReturnYear: {"2019"}, DimAgeBand: {UnknownAgeBand, "45+"}, DimOperation: {NoOperation, "Zhusan"},
		}, Measures: []Measure{MeasureShareHighRisk}},
	}
	for _, req := range good {
		if err := ValidateRequest(req); err != nil {
			t.Errorf("ValidateRequest(%+v): %v", req, err)
		}
	}
}

// TestComputeRefuses: Compute validates the request (including that an
// OPERATION filter names an existing operation), the configuration and the
// dialect before reading anything.
func TestComputeRefuses(t *testing.T) {
	eachStore(t, func(t *testing.T, name string) {
		w := demo(t, name)
		ctx := context.Background()
		_, err := Compute(ctx, w.st.DB, w.st.Dialect, Request{Where: map[Dimension][]string{DimOperation: {"Zhusan", "Operation Nobody"}}}, testConfig())
		var inv *InvalidError
		if !errors.As(err, &inv) || inv.Field != "where.operation[1]" {
			t.Errorf("unknown operation: got %v", err)
		}
		if _, err := Compute(ctx, w.st.DB, w.st.Dialect, Request{Where: map[Dimension][]string{DimOperation: {"Zhusan", NoOperation}}}, testConfig()); err != nil {
			t.Errorf("known operation: %v", err)
		}
		_, err = Compute(ctx, w.st.DB, w.st.Dialect, Request{GroupBy: []Dimension{"NAME"}}, testConfig())
		if !errors.As(err, &inv) {
			t.Errorf("bad request: got %v", err)
		}
		for _, cfg := range []Config{{SuppressUpTo: 2}, {SuppressUpTo: -1}, {MaxNoise: 11}, {NoiseVariance: 5}, {MaxNoise: 1, NoiseVariance: 0.9}} {
			if _, err := Compute(ctx, w.st.DB, w.st.Dialect, Request{}, cfg); !errors.Is(err, ErrConfig) {
				t.Errorf("config %+v: got %v, want ErrConfig", cfg, err)
			}
		}
		if _, err := Compute(ctx, w.st.DB, "mysql", Request{}, testConfig()); err == nil {
			t.Error("unknown dialect accepted")
		}
	})
}
