package server_test

import (
	"encoding/json"
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
