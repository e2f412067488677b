package stats

import (
	"net/url"
	"slices"
	"strings"
)

// Parameters of the CSV report, besides the filters (named by
// Dimension.FilterName).
const (
	ParamGroupBy  = "groupBy"
	ParamMeasures = "measures"
)

// maxParamValues bounds the values one parameter may carry, before
// validation: a URL full of commas must not cost more than a refusal.
const maxParamValues = maxFilterValues

// ParseQuery reads a request from the query string of the CSV report:
//
//	groupBy=COUNTRY,SEX&measures=RETURNEE_COUNT&sex=FEMALE&ageBand=45%2B
//
// Every parameter may be repeated, and its values may be comma-separated,
// except operation: operation names may hold commas, so each operation is
// its own parameter. An unknown parameter is refused rather than ignored,
// so a misspelt filter never silently widens a report. The result still
// goes through ValidateRequest in Compute.
func ParseQuery(q url.Values) (Request, error) {
	var req Request
	byName := map[string]Dimension{}
	for _, d := range Dimensions {
		byName[d.FilterName()] = d
	}
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	slices.Sort(names) // a stable error for a stable URL
	for _, k := range names {
		raw := q[k]
		switch d, isFilter := byName[k]; {
		case k == ParamGroupBy:
			vals, err := splitParam(k, raw, true)
			if err != nil {
				return Request{}, err
			}
			for _, v := range vals {
				req.GroupBy = append(req.GroupBy, Dimension(v))
			}
		case k == ParamMeasures:
			vals, err := splitParam(k, raw, true)
			if err != nil {
				return Request{}, err
			}
			for _, v := range vals {
				req.Measures = append(req.Measures, Measure(v))
			}
		case isFilter:
			vals, err := splitParam(k, raw, d != DimOperation)
			if err != nil {
				return Request{}, err
			}
			if req.Where == nil {
				req.Where = map[Dimension][]string{}
			}
			req.Where[d] = vals
		default:
			return Request{}, invalid(k, ErrUnknownParameter, "unknown parameter %q; use %s, %s or a filter (%s)",
				clip(k), ParamGroupBy, ParamMeasures, strings.Join(filterParamNames(), ", "))
		}
	}
	return req, nil
}

func splitParam(name string, raw []string, commas bool) ([]string, error) {
	var out []string
	for _, r := range raw {
		parts := []string{r}
		if commas {
			parts = strings.Split(r, ",")
		}
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if p == "" {
				if !commas {
					return nil, invalid(name, ErrEmptyFilter, "an empty value")
				}
				continue
			}
			out = append(out, p)
			if len(out) > maxParamValues {
				return nil, invalid(name, ErrTooManyValues, "at most %d values", maxParamValues)
			}
		}
	}
	if len(out) == 0 && name != ParamGroupBy {
		return nil, invalid(name, ErrEmptyFilter, "give at least one value or leave the parameter out")
	}
	return out, nil
}

func filterParamNames() []string {
	out := make([]string, 0, len(Dimensions))
	for _, d := range Dimensions {
		out = append(out, d.FilterName())
	}
	return out
}

// clip shortens a client-supplied string quoted in an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
