package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rdrr-project/rdrr/internal/testenv"
)

var allowedCodes = map[string]bool{
	"UNAUTHENTICATED": true, "FORBIDDEN": true, "NOT_FOUND": true, "BAD_USER_INPUT": true,
	"CONFLICT": true, "QUERY_TOO_COMPLEX": true, "RATE_LIMITED": true,
}

// leakMarks are strings that must never reach a client.
var leakMarks = []string{"panic", "goroutine", "runtime error", "SQL", "sqlite", "SQLSTATE", "pgx", "ent:", ".go:"}

// checkAnswer asserts an answer is a well-formed GraphQL error or result:
// no 5xx, codes from the documented set, nothing internal leaked.
func checkAnswer(t *testing.T, r *testenv.Response) {
	t.Helper()
	if r.Status >= 500 {
		t.Fatalf("status %d: %s", r.Status, r.Raw)
	}
	for _, e := range r.Errors {
		if !allowedCodes[e.Code()] {
			t.Fatalf("code %q: %s", e.Code(), r.Raw)
		}
	}
	for _, m := range leakMarks {
		if strings.Contains(string(r.Raw), m) {
			t.Fatalf("answer contains %q: %s", m, r.Raw)
		}
	}
}

// FuzzGraphQL sends arbitrary documents and variables to the real endpoint.
func FuzzGraphQL(f *testing.F) {
	seeds := [][2]string{
		{`{ me { roles } }`, `{}`},
		{`query($n: Int) { returnees(first: $n) { totalCount edges { node { id familyName } } } }`, `{"n": 5}`},
		{`query($id: ID!) { node(id: $id) { id } }`, `{"id": "ret_0j5x3m8q9w2c4v6b7n1k0p2r3s"}`},
		{`query($s: String) { returnees(search: $s) { totalCount } }`, `{"s": "%_'\""}`},
		{`mutation($in: CreateReturneeInput!) { createReturnee(input: $in) { id } }`, `{"in": {"givenName": "A", "familyName": "B", "sex": "FEMALE", "citizenship": "KZ", "returnedAs": "CHILD", "returnDate": "2019-01-01", "custodyStatus": "OTHER"}}`},
		{`{ returnees { edges { node { medicalRecords { edges { node { detail } } } } } } }`, ``},
		{`query { ...F } fragment F on Query { me { roles } }`, `null`},
		{`{ __schema { types { name } } }`, `[]`},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	w := newWorld(f, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(f)})
	f.Fuzz(func(t *testing.T, query, vars string) {
		body := map[string]any{"query": query}
		var v any
		if json.Unmarshal([]byte(vars), &v) == nil {
			body["variables"] = v
		}
		b, err := json.Marshal(body)
		if err != nil {
			return
		}
		checkAnswer(t, w.e.Post(t, w.cm, "application/json", b, nil))
	})
}

// FuzzReturneeFilters fuzzes the filter and search inputs of the case list.
func FuzzReturneeFilters(f *testing.F) {
	f.Add("Akhmedov", "KZ", "Almaty", 10)
	f.Add("%", "'", "\\", -1)
	f.Add("Ахмедов", "", "\u202e", 101)
	w := newWorld(f, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(f)})
	q := `query($s: String, $c: String, $r: String, $n: Int) { returnees(first: $n, search: $s, where: {citizenship: $c, region: $r}) { totalCount edges { node { id } } } }`
	f.Fuzz(func(t *testing.T, search, citizenship, region string, n int) {
		checkAnswer(t, w.e.Query(t, w.cm, q, map[string]any{"s": search, "c": citizenship, "r": region, "n": n}))
	})
}

// FuzzStatisticsCSV sends arbitrary query strings to the CSV report: every
// answer is a refusal with a documented code or a CSV in which no count
// from 1 to the threshold appears.
func FuzzStatisticsCSV(f *testing.F) {
	for _, q := range []string{
		"groupBy=COUNTRY,SEX", "groupBy=AGE_BAND&sex=FEMALE&ageBand=45%2B", "measures=SHARE_HIGH_RISK&phase=CLOSED",
		"operation=%25&operation=NONE", "groupBy=SEX&groupBy=SEX", "country=KZ'%20OR%201=1--", "groupBy=%zz", "a=b;c=d",
		"groupBy=" + strings.Repeat("SEX,", 300), "returnYear=2019,2020&custody=PRISON&groupBy=CATEGORY,PHASE",
	} {
		f.Add(q)
	}
	s := testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(f)}
	w := newStatsWorld(f, s)
	f.Fuzz(func(t *testing.T, query string) {
		if strings.ContainsFunc(query, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
			return // not a request line: net/http refuses it before any handler runs
		}
		req, err := http.NewRequest(http.MethodGet, w.e.URL+"/reports/statistics.csv", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = query
		req.Header.Set("Authorization", "Bearer "+w.analyst)
		resp, err := w.e.Client.Do(req)
		if err != nil {
			return // not a URL a client can send
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("%q: status %d: %s", query, resp.StatusCode, body)
		}
		for _, m := range leakMarks {
			if strings.Contains(string(body), m) {
				t.Fatalf("%q: answer contains %q: %s", query, m, body)
			}
		}
		if resp.StatusCode != http.StatusOK {
			if c := errorCode(t, body); !allowedCodes[c] {
				t.Fatalf("%q: code %q", query, c)
			}
			return
		}
		recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%q: CSV does not parse: %v", query, err)
		}
		col := slices.Index(recs[0], "RETURNEE_COUNT")
		for _, rec := range recs[1:] {
			if col < 0 {
				break
			}
			if n, err := strconv.Atoi(rec[col]); err == nil && n >= 1 && n <= w.threshold {
				t.Fatalf("%q: a count of %d is published: %v", query, n, rec)
			}
		}
	})
}
