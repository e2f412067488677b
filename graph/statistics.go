package graph

import (
	"strconv"

	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/graph/model"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/stats"
)

// statisticsRequest turns the arguments of Query.statistics into a stats
// request. Values are only converted here; stats.ValidateRequest decides
// what is acceptable, for GraphQL and the CSV report alike.
func statisticsRequest(groupBy []model.StatisticsDimension, where *model.StatisticsFilter, measures []model.Measure) stats.Request {
	req := stats.Request{}
	for _, d := range groupBy {
		req.GroupBy = append(req.GroupBy, stats.Dimension(d))
	}
	for _, m := range measures {
		req.Measures = append(req.Measures, stats.Measure(m))
	}
	if where == nil {
		return req
	}
	req.Where = map[stats.Dimension][]string{}
	add := func(d stats.Dimension, vals []string) {
		if vals != nil { // an empty list is kept: it is refused, not ignored
			req.Where[d] = vals
		}
	}
	add(stats.DimCountry, where.Country)
	add(stats.DimOperation, where.Operation)
	add(stats.DimReturnYear, mapSlice(where.ReturnYear, strconv.Itoa))
	add(stats.DimCategory, stringsOf(where.Category))
	add(stats.DimSex, stringsOf(where.Sex))
	add(stats.DimAgeBand, where.AgeBand)
	add(stats.DimPhase, stringsOf(where.Phase))
	add(stats.DimCustody, stringsOf(where.Custody))
	return req
}

// StatisticsEvent is the audit event of an answered statistics question,
// through GraphQL or the CSV report. Every question is kept (who asked
// what, when): perturbation makes differencing slow, not impossible, and a
// series of near-identical filtered questions is the pattern a reviewer
// looks for.
func StatisticsEvent(base audit.Event, req stats.Request) audit.Event {
	base.Kind, base.Decision, base.Message = auditevent.KindREAD, auditevent.DecisionALLOW, "statistics: "+req.String()
	return base
}

// statisticsReport is the GraphQL form of a protected report.
func statisticsReport(r *stats.Report) *model.StatisticsReport {
	out := &model.StatisticsReport{
		GroupBy:    mapSlice(r.GroupBy, func(d stats.Dimension) model.StatisticsDimension { return model.StatisticsDimension(d) }),
		Measures:   mapSlice(r.Measures, func(m stats.Measure) model.Measure { return model.Measure(m) }),
		Cells:      []*model.StatisticsCell{},
		Margins:    []*model.StatisticsCell{},
		Threshold:  r.SuppressUpTo,
		AsOf:       r.AsOf,
		ComputedAt: r.ComputedAt,
		Method:     r.Method,
	}
	cell := func(c stats.Cell) *model.StatisticsCell {
		mc := &model.StatisticsCell{Dimensions: []*model.StatisticsDimensionValue{}, Values: make([]*model.StatisticsValue, 0, len(r.Measures))}
		for _, d := range r.GroupBy { // in the report's order, not the map's
			if v, ok := c.Dimensions[d]; ok {
				mc.Dimensions = append(mc.Dimensions, &model.StatisticsDimensionValue{Dimension: model.StatisticsDimension(d), Value: v})
			}
		}
		for _, m := range r.Measures {
			v := c.Values[m]
			sv := &model.StatisticsValue{Measure: model.Measure(m), Value: v.Value}
			if v.Reason != "" {
				reason := model.SuppressionReason(v.Reason)
				sv.Reason = &reason
			}
			mc.Values = append(mc.Values, sv)
		}
		return mc
	}
	for _, c := range r.Cells {
		out.Cells = append(out.Cells, cell(c))
	}
	for _, c := range r.Margins {
		out.Margins = append(out.Margins, cell(c))
	}
	out.Total = cell(r.Total)
	return out
}

func stringsOf[T ~string](in []T) []string {
	return mapSlice(in, func(v T) string { return string(v) })
}

func mapSlice[T, U any](in []T, f func(T) U) []U {
	if in == nil {
		return nil
	}
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
