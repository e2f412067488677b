package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/graph"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/reqid"
	"github.com/rdrr-project/rdrr/internal/stats"
	"github.com/rdrr-project/rdrr/internal/store"
)

// statisticsOperation names the CSV report in audit events.
const statisticsOperation = "GET /reports/statistics.csv"

// statisticsCSV serves the statistics report as CSV:
//
//	GET /reports/statistics.csv?groupBy=COUNTRY,SEX&phase=REINTEGRATION
//
// with the same bearer token, rate limits, permission (statistics read) and
// disclosure control as Query.statistics: both go through stats.Source.
// A GET is safe here: the token travels in the Authorization header, which
// a browser never adds to a cross-site request by itself. Refusals are the
// JSON errors of the GraphQL endpoint, with the same codes.
func (s *Server) statisticsCSV() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			writeError(w, http.StatusMethodNotAllowed, apperr.Invalid("", "use GET"))
			return
		}
		ctx, cancel, ok := s.admit(w, r)
		if !ok {
			return
		}
		defer cancel()
		v := viewer.FromContext(ctx)
		if !v.Can(domain.ObjStatistics, domain.ActionRead) {
			s.refuseStatistics(ctx, w)
			return
		}
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			writeError(w, http.StatusBadRequest, apperr.Invalid("", "the query string could not be decoded"))
			return
		}
		req, err := stats.ParseQuery(q)
		if err != nil {
			s.writeClientError(ctx, w, err)
			return
		}
		rep, err := s.stats.Report(ctx, req)
		if err != nil {
			s.writeClientError(ctx, w, err)
			return
		}
		var buf bytes.Buffer // a whole report or an error, never half a file
		if err := rep.CSV(&buf); err != nil {
			s.writeClientError(ctx, w, err)
			return
		}
		if err := s.trail.Record(ctx, graph.StatisticsEvent(s.reportEvent(ctx), req)); err != nil {
			s.writeClientError(ctx, w, fmt.Errorf("auditing a statistics report: %w", err))
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="statistics-`+rep.AsOf.Format("2006-01-02")+`.csv"`)
		h.Set("Content-Length", strconv.Itoa(buf.Len()))
		_, _ = buf.WriteTo(w)
	})
}

// refuseStatistics answers FORBIDDEN, after recording the denial like the
// GraphQL endpoint does.
func (s *Server) refuseStatistics(ctx context.Context, w http.ResponseWriter) {
	e := apperr.Forbidden("your roles do not allow read on statistics")
	ev := s.reportEvent(ctx)
	ev.Kind, ev.Decision, ev.Message = auditevent.KindDENIED, auditevent.DecisionDENY, e.Message
	if err := s.trail.Record(ctx, ev); err != nil {
		s.cfg.Log.ErrorContext(ctx, "auditing a denial", "err", err)
		writeError(w, http.StatusInternalServerError, apperr.Internal(err))
		return
	}
	writeError(w, http.StatusForbidden, e)
}

// reportEvent is the who, why and which request of an audit event of the
// CSV report.
func (s *Server) reportEvent(ctx context.Context) audit.Event {
	v := viewer.FromContext(ctx)
	return audit.Event{
		UserID: v.UserID, OrgID: v.OrgID, Roles: v.Roles,
		Operation: statisticsOperation, Purpose: audit.PurposeFrom(ctx), RequestID: reqid.From(ctx),
	}
}

// writeClientError answers err with the code the GraphQL presenter would
// give it, logging what the client is not told.
func (s *Server) writeClientError(ctx context.Context, w http.ResponseWriter, err error) {
	e := graph.ClientError(err)
	status := http.StatusBadRequest
	switch e.Code {
	case apperr.CodeInternal:
		s.cfg.Log.ErrorContext(ctx, "statistics report", "err", err, "request_id", reqid.From(ctx))
		status = http.StatusInternalServerError
		if store.Unavailable(err) {
			status = http.StatusServiceUnavailable
		}
	case apperr.CodeForbidden:
		status = http.StatusForbidden
	}
	writeError(w, status, e)
}
