package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/seed"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/stats"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// statsWorld is a running server on a seeded demo world of 600 returnees,
// with tokens for the donor's analyst and for a clinician (no statistics).
type statsWorld struct {
	e               *testenv.Env
	analyst, doctor string
	threshold       int
	reportByGraphQL func(t *testing.T, vars map[string]any) statsReport
	reportByCSV     func(t testing.TB, token, query string) (*http.Response, []byte)
}

func newStatsWorld(t testing.TB, s testenv.Store, opts ...func(*server.Config)) *statsWorld {
	t.Helper()
	e := testenv.Start(t, s.URL, opts...)
	if _, err := seed.Demo(context.Background(), e.Store.Client, e.Authz, seed.Options{Returnees: 600, Dialect: e.Store.Dialect}); err != nil {
		t.Fatalf("seeding: %v", err)
	}
	w := &statsWorld{e: e, analyst: e.Token(t, "analyst@donor.example"), doctor: e.Token(t, "psychologist@ngo-kz.example"), threshold: stats.DefaultSuppressUpTo}
	w.reportByGraphQL = func(t *testing.T, vars map[string]any) statsReport {
		t.Helper()
		res := e.Query(t, w.analyst, statisticsQuery, vars)
		var out struct{ Statistics statsReport }
		res.Decode(t, &out)
		return out.Statistics
	}
	w.reportByCSV = func(t testing.TB, token, query string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, e.URL+"/reports/statistics.csv?"+query, nil)
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := e.Client.Do(req)
		if err != nil {
			t.Fatalf("GET statistics.csv: %v", err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	return w
}

const statisticsQuery = `query Stats($groupBy: [StatisticsDimension!]!, $where: StatisticsFilter, $measures: [Measure!]) {
  statistics(groupBy: $groupBy, where: $where, measures: $measures) {
    groupBy measures threshold asOf method
    cells { dimensions { dimension value } values { measure value reason } }
    margins { dimensions { dimension value } values { measure value reason } }
    total { dimensions { dimension value } values { measure value reason } }
  }
}`

type statsValue struct {
	Measure string
	Value   *float64
	Reason  *string
}

type statsCell struct {
	Dimensions []struct{ Dimension, Value string }
	Values     []statsValue
}

// key names the row the way the CSV does: one column per dimension of the
// report, ALL where the row sums over it.
func (c statsCell) key(groupBy []string) string {
	parts := make([]string, len(groupBy))
	for i, d := range groupBy {
		parts[i] = "ALL"
		for _, dv := range c.Dimensions {
			if dv.Dimension == d {
				parts[i] = dv.Value
			}
		}
	}
	return strings.Join(parts, "|")
}

type statsReport struct {
	GroupBy   []string
	Measures  []string
	Threshold int
	AsOf      string
	Method    string
	Cells     []statsCell
	Margins   []statsCell
	Total     statsCell
}

func (r statsReport) rows() []statsCell {
	return append(append(append([]statsCell{}, r.Cells...), r.Margins...), r.Total)
}

// TestStatisticsReport checks the report an analyst gets over real HTTP:
// nothing from 1 to the threshold is ever published, the small cells that
// exist are withheld with a reason, and the CSV at /reports/statistics.csv
// carries exactly the figures of the GraphQL answer.
func TestStatisticsReport(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newStatsWorld(t, s)
		vars := map[string]any{"groupBy": []string{"COUNTRY", "SEX", "AGE_BAND"}}
		rep := w.reportByGraphQL(t, vars)
		if rep.Threshold != stats.DefaultSuppressUpTo {
			t.Fatalf("threshold %d, want the default %d", rep.Threshold, stats.DefaultSuppressUpTo)
		}
		if len(rep.Measures) != len(stats.Measures) || rep.AsOf == "" || rep.Method == "" {
			t.Fatalf("report header incomplete: %+v", rep)
		}
		if len(rep.Cells) == 0 || len(rep.Margins) == 0 {
			t.Fatalf("no cells or margins: %+v", rep)
		}
		withheld := map[string]int{}
		for _, c := range rep.rows() {
			if len(c.Values) != len(rep.Measures) {
				t.Fatalf("row %s has %d values for %d measures", c.key(rep.GroupBy), len(c.Values), len(rep.Measures))
			}
			count := c.Values[0]
			if count.Measure != "RETURNEE_COUNT" {
				t.Fatalf("first measure %s, want RETURNEE_COUNT", count.Measure)
			}
			switch {
			case count.Value != nil && *count.Value >= 1 && *count.Value <= float64(rep.Threshold):
				t.Errorf("row %s publishes a count of %v, within 1..%d", c.key(rep.GroupBy), *count.Value, rep.Threshold)
			case count.Value == nil && count.Reason == nil:
				t.Errorf("row %s withholds its count without a reason", c.key(rep.GroupBy))
			case count.Value == nil:
				withheld[*count.Reason]++
			}
		}
		if withheld[stats.ReasonSmallCell] == 0 {
			t.Errorf("a three-way table of 600 returnees has no small cell withheld: %v", withheld)
		}
		if rep.Total.Values[0].Value == nil || len(rep.Total.Dimensions) != 0 {
			t.Errorf("grand total missing or not a total: %+v", rep.Total)
		}

		// The CSV of the same question carries the same figures.
		resp, body := w.reportByCSV(t, w.analyst, "groupBy=COUNTRY,SEX,AGE_BAND")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV: status %d, type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		records, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
		if err != nil {
			t.Fatalf("CSV does not parse: %v", err)
		}
		want := map[string]statsCell{}
		for _, c := range rep.rows() {
			want[c.key(rep.GroupBy)] = c
		}
		header := records[0]
		if len(records)-1 != len(want) {
			t.Fatalf("CSV has %d rows, GraphQL %d", len(records)-1, len(want))
		}
		for _, rec := range records[1:] {
			k := strings.Join(rec[1:1+len(rep.GroupBy)], "|")
			c, ok := want[k]
			if !ok {
				t.Fatalf("CSV row %q is not in the GraphQL answer", k)
			}
			for i, v := range c.Values {
				col := 1 + len(rep.GroupBy) + 2*i
				if header[col] != v.Measure {
					t.Fatalf("CSV column %d is %s, want %s", col, header[col], v.Measure)
				}
				got, reason := rec[col], rec[col+1]
				wantV, wantR := "", ""
				if v.Value != nil {
					wantV = strconv.FormatFloat(*v.Value, 'f', -1, 64)
				}
				if v.Reason != nil {
					wantR = *v.Reason
				}
				if got != wantV || reason != wantR {
					t.Errorf("row %s %s: CSV %q/%q, GraphQL %q/%q", k, v.Measure, got, reason, wantV, wantR)
				}
			}
			if rec[len(rec)-2] != rep.AsOf || rec[len(rec)-1] != strconv.Itoa(rep.Threshold) {
				t.Errorf("CSV row %s: as-of %s threshold %s, want %s %d", k, rec[len(rec)-2], rec[len(rec)-1], rep.AsOf, rep.Threshold)
			}
		}

		// Both questions are in the audit trail, with who asked and what.
		asked, err := w.e.Store.Client.AuditEvent.Query().Where(
			auditevent.KindEQ(auditevent.KindREAD), auditevent.MessageEQ("statistics: groupBy=COUNTRY,SEX,AGE_BAND"),
		).All(sysCtx())
		if err != nil || len(asked) != 2 {
			t.Fatalf("audited statistics questions: %d (%v), want 2 (GraphQL and CSV)", len(asked), err)
		}
		for _, ev := range asked {
			if ev.UserID == "" || ev.RequestID == "" {
				t.Errorf("audit event without user or request: %+v", ev)
			}
		}
	})
}

// TestStatisticsFiltersAndAccess: filters narrow the report; who may not
// read statistics gets FORBIDDEN on both paths (and the CSV refusal is in
// the audit trail); bad input is BAD_USER_INPUT naming the field.
func TestStatisticsFiltersAndAccess(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newStatsWorld(t, s)
		e := w.e

		all := w.reportByGraphQL(t, map[string]any{"groupBy": []string{"SEX"}})
		women := w.reportByGraphQL(t, map[string]any{"groupBy": []string{"SEX"}, "where": map[string]any{"sex": []string{"FEMALE"}}})
		if len(women.Cells) != 1 || women.Cells[0].Dimensions[0].Value != "FEMALE" {
			t.Fatalf("filter sex=FEMALE gave cells %+v", women.Cells)
		}
		if *women.Total.Values[0].Value >= *all.Total.Values[0].Value {
			t.Errorf("women %v are not fewer than everyone %v", *women.Total.Values[0].Value, *all.Total.Values[0].Value)
		}

		res := e.Query(t, w.doctor, statisticsQuery, map[string]any{"groupBy": []string{"SEX"}})
		if codes := res.Codes(); len(codes) != 1 || codes[0] != "FORBIDDEN" || strings.Contains(string(res.Raw), "cells") {
			t.Errorf("clinician via GraphQL: %s; want FORBIDDEN and no data", res.Raw)
		}
		resp, body := w.reportByCSV(t, w.doctor, "groupBy=SEX")
		if resp.StatusCode != http.StatusForbidden || errorCode(t, body) != "FORBIDDEN" {
			t.Errorf("clinician via CSV: %d %s; want 403 FORBIDDEN", resp.StatusCode, body)
		}
		denials, err := e.Store.Client.AuditEvent.Query().
			Where(auditevent.KindEQ(auditevent.KindDENIED), auditevent.OperationContains("statistics.csv")).Count(sysCtx())
		if err != nil || denials != 1 {
			t.Errorf("audited CSV denials: %d (%v), want 1", denials, err)
		}
		resp, body = w.reportByCSV(t, "", "groupBy=SEX")
		if resp.StatusCode != http.StatusUnauthorized || errorCode(t, body) != "UNAUTHENTICATED" {
			t.Errorf("CSV without a token: %d %s", resp.StatusCode, body)
		}

		bad := []struct {
			name  string
			vars  map[string]any
			field string
		}{
			{"five dimensions", map[string]any{"groupBy": []string{"COUNTRY", "SEX", "AGE_BAND", "PHASE", "CUSTODY"}}, "groupBy"},
			{"repeated dimension", map[string]any{"groupBy": []string{"SEX", "SEX"}}, "groupBy[1]"},
			{"unknown age band", map[string]any{"groupBy": []string{}, "where": map[string]any{"ageBand": []string{"45-54"}}}, "where.ageBand[0]"},
			{"country as a name", map[string]any{"groupBy": []string{}, "where": map[string]any{"country": []string{"Kazakhstan"}}}, "where.country[0]"},
			{"LIKE wildcard operation", map[string]any{"groupBy": []string{}, "where": map[string]any{"operation": []string{"%"}}}, "where.operation[0]"},
			{"empty filter list", map[string]any{"groupBy": []string{}, "where": map[string]any{"phase": []string{}}}, "where.phase"},
		}
		for _, c := range bad {
			res := e.Query(t, w.analyst, statisticsQuery, c.vars)
			if len(res.Errors) != 1 || res.Errors[0].Code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != c.field {
				t.Errorf("%s: %s; want BAD_USER_INPUT on %s", c.name, res.Raw, c.field)
			}
		}
		for _, q := range []string{"groupBy=COUNTRY,SEX,AGE_BAND,PHASE,CUSTODY", "gender=FEMALE", "sex=", "ageBand=45-54", "groupBy=%zz"} {
			resp, body := w.reportByCSV(t, w.analyst, q)
			if resp.StatusCode != http.StatusBadRequest || errorCode(t, body) != "BAD_USER_INPUT" {
				t.Errorf("CSV %q: %d %s; want 400 BAD_USER_INPUT", q, resp.StatusCode, body)
			}
		}
		// A filter value that exists passes: the operation names of the demo.
		q := url.Values{"groupBy": {"OPERATION"}}
		resp, body = w.reportByCSV(t, w.analyst, q.Encode())
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("CSV by operation: %d %s", resp.StatusCode, body)
		}
	})
}

// TestStatisticsThresholdIsConfigurable: a deployment may raise the
// threshold, never set it below 3.
func TestStatisticsThresholdIsConfigurable(t *testing.T) {
	s := testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)}
	w := newStatsWorld(t, s, func(c *server.Config) { c.Statistics.SuppressUpTo = 25 })
	rep := w.reportByGraphQL(t, map[string]any{"groupBy": []string{"COUNTRY", "CATEGORY"}})
	if rep.Threshold != 25 {
		t.Fatalf("threshold %d, want 25", rep.Threshold)
	}
	for _, c := range rep.rows() {
		if v := c.Values[0].Value; v != nil && *v >= 1 && *v <= 25 {
			t.Errorf("row %s publishes %v under a threshold of 25", c.key(rep.GroupBy), *v)
		}
	}
	cfg := server.Defaults()
	cfg.DB, cfg.Addr, cfg.DevKeyFile = testenv.SQLiteURL(t), "127.0.0.1:0", t.TempDir()+"/k"
	cfg.Statistics.SuppressUpTo = 2
	if srv, err := server.New(context.Background(), cfg); err == nil {
		srv.Close()
		t.Fatal("a server with a statistics threshold of 2 started")
	} else if !strings.Contains(err.Error(), "below the minimum") {
		t.Fatalf("refusal does not say why: %v", err)
	}
}

func errorCode(t testing.TB, body []byte) string {
	t.Helper()
	var out struct {
		Errors []testenv.Error `json:"errors"`
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Errors) == 0 {
		t.Fatalf("not a GraphQL error body: %s", body)
	}
	return fmt.Sprint(out.Errors[0].Code())
}
