package stats

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Request is one statistics question.
type Request struct {
	GroupBy  []Dimension            // at most MaxGroupBy, no repeats; empty gives the total only
	Where    map[Dimension][]string // per dimension, the values to keep (an in-list; one value is equality)
	Measures []Measure              // empty means all of Measures
}

// Reasons for which a request is refused; InvalidError wraps one of them.
var (
	ErrUnknownDimension  = errors.New("unknown dimension")
	ErrUnknownMeasure    = errors.New("unknown measure")
	ErrUnknownValue      = errors.New("unknown value")
	ErrTooManyDimensions = errors.New("too many dimensions")
	ErrDuplicate         = errors.New("repeated entry")
	ErrEmptyFilter       = errors.New("empty filter")
	ErrTooManyValues     = errors.New("too many filter values")
	ErrUnknownParameter  = errors.New("unknown parameter") // of the CSV report's query string
)

// maxFilterValues bounds an in-list, and so the number of bound parameters.
const maxFilterValues = 256

// InvalidError is a refused request: Field names the offending part
// ("groupBy[4]", "measures[1]", "where.ageBand[0]", "where"), Message says
// why, Err is one of the Err* reasons above (errors.Is works).
type InvalidError struct {
	Field   string
	Message string
	Err     error
}

func (e *InvalidError) Error() string {
	return "invalid statistics request: " + e.Field + ": " + e.Message
}

func (e *InvalidError) Unwrap() error { return e.Err }

func invalid(field string, err error, format string, a ...any) *InvalidError {
	return &InvalidError{Field: field, Message: fmt.Sprintf(format, a...), Err: err}
}

// ValidateRequest checks a request without touching the database: known
// dimensions, measures and filter values, at most MaxGroupBy dimensions, no
// repeats. Filters take only the dimensions' own coded values, so no name,
// identifier, free text or date can reach a query. (An OPERATION value is
// an operation's name; Compute also checks that the operation exists.)
func ValidateRequest(req Request) error {
	if len(req.GroupBy) > MaxGroupBy {
		return invalid("groupBy", ErrTooManyDimensions, "at most %d dimensions may be crossed, got %d", MaxGroupBy, len(req.GroupBy))
	}
	for i, d := range req.GroupBy {
		f := fmt.Sprintf("groupBy[%d]", i)
		if _, ok := dimensions[d]; !ok {
			return invalid(f, ErrUnknownDimension, "unknown dimension %q", d)
		}
		if slices.Index(req.GroupBy, d) != i {
			return invalid(f, ErrDuplicate, "dimension %s given twice", d)
		}
	}
	for i, m := range req.Measures {
		f := fmt.Sprintf("measures[%d]", i)
		if !slices.Contains(Measures, m) {
			return invalid(f, ErrUnknownMeasure, "unknown measure %q", m)
		}
		if slices.Index(req.Measures, m) != i {
			return invalid(f, ErrDuplicate, "measure %s given twice", m)
		}
	}
	// Map order is random: check in a fixed order so the error is stable.
	keys := make([]Dimension, 0, len(req.Where))
	for d := range req.Where {
		keys = append(keys, d)
	}
	slices.Sort(keys)
	for _, d := range keys {
		vals := req.Where[d]
		if _, ok := dimensions[d]; !ok {
			return invalid("where", ErrUnknownDimension, "unknown dimension %q", d)
		}
		f := "where." + d.FilterName()
		if len(vals) == 0 {
			return invalid(f, ErrEmptyFilter, "a filter needs at least one value")
		}
		if len(vals) > maxFilterValues {
			return invalid(f, ErrTooManyValues, "at most %d values, got %d", maxFilterValues, len(vals))
		}
		for i, v := range vals {
			fv := fmt.Sprintf("%s[%d]", f, i)
			if err := checkValue(d, v); err != nil {
				return invalid(fv, ErrUnknownValue, "%v", err)
			}
			if slices.Index(vals, v) != i {
				return invalid(fv, ErrDuplicate, "value %q given twice", v)
			}
		}
	}
	return nil
}

// measures returns the requested measures, all of them by default, in the
// canonical order (so reports and CSV columns do not depend on the order
// the client listed them in).
func (req Request) measures() []Measure {
	if len(req.Measures) == 0 {
		return slices.Clone(Measures)
	}
	var out []Measure
	for _, m := range Measures {
		if slices.Contains(req.Measures, m) {
			out = append(out, m)
		}
	}
	return out
}

// String describes the question in a canonical form, for the audit trail:
// "groupBy=COUNTRY,SEX sex=FEMALE measures=RETURNEE_COUNT".
func (req Request) String() string {
	var b strings.Builder
	b.WriteString("groupBy=")
	for i, d := range req.GroupBy {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(d))
	}
	for _, d := range Dimensions {
		if vals, ok := req.Where[d]; ok {
			fmt.Fprintf(&b, " %s=%s", d.FilterName(), strings.Join(vals, ","))
		}
	}
	if len(req.Measures) > 0 {
		b.WriteString(" measures=")
		for i, m := range req.measures() {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(string(m))
		}
	}
	return b.String()
}
