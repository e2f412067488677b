package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rdrr-project/rdrr/internal/testenv"
)

// Abusive documents: each is refused with QUERY_TOO_COMPLEX (or
// BAD_USER_INPUT for what the GraphQL validator catches) before anything
// runs, and the server keeps serving.

func TestAbusiveDocumentsAreRefused(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	deep := "{ returnees { edges { node { household { returnees { household { returnees { household { returnees { household { returnees { id } } } } } } } } } } } }"
	var aliases strings.Builder
	aliases.WriteString("{ ")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&aliases, "a%d: me { roles } ", i)
	}
	aliases.WriteString("}")
	var directives strings.Builder
	directives.WriteString("{ me { roles")
	for i := 0; i < 10; i++ {
		directives.WriteString(" @include(if: true)")
	}
	directives.WriteString(" } }")
	costly := `{ returnees(first: 100) { edges { node { documents(first: 100) { edges { node { id } } } caseTeam(first: 100) { edges { node { id } } } } } } }`
	var ops strings.Builder
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&ops, "query Q%d { me { roles } } ", i)
	}
	cases := []struct {
		name, query, code, measure string
	}{
		{"deep nesting", deep, "QUERY_TOO_COMPLEX", "depth"},
		{"alias fan-out", aliases.String(), "QUERY_TOO_COMPLEX", "aliases"},
		{"directive flood", directives.String(), "BAD_USER_INPUT", ""}, // the validator allows each directive once
		{"multiplying connections", costly, "QUERY_TOO_COMPLEX", "cost"},
		{"fragment cycle", "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }", "BAD_USER_INPUT", ""},
		{"huge document", "{ " + strings.Repeat("me { roles } ", 4000) + "}", "BAD_USER_INPUT", ""},
	}
	for _, c := range cases {
		r := w.e.Query(t, w.cm, c.query, nil)
		if len(r.Errors) == 0 || r.Errors[0].Code() != c.code || (string(r.Data) != "" && string(r.Data) != "null") {
			t.Errorf("%s: want %s and no data, got %.300s", c.name, c.code, r.Raw)
			continue
		}
		if c.measure != "" {
			e := r.Errors[0].Extensions
			if e["measure"] != c.measure || e["limit"] == nil || e[c.measure] == nil {
				t.Errorf("%s: extensions %v, want measure %q with its value and the limit", c.name, e, c.measure)
			}
		}
		if r.Status >= 500 {
			t.Errorf("%s: status %d", c.name, r.Status)
		}
	}
	// A document of many operations, one of them selected.
	body, _ := json.Marshal(map[string]any{"query": ops.String(), "operationName": "Q0"})
	if r := w.e.Post(t, w.cm, "application/json", body, nil); len(r.Errors) == 0 || r.Errors[0].Code() != "QUERY_TOO_COMPLEX" || r.Errors[0].Extensions["measure"] != "operations" {
		t.Errorf("too many operations: %s", r.Raw)
	}
	// The dashboard itself is well within the limits.
	if r := w.e.Query(t, w.cm, dashboardQuery, map[string]any{"n": 50}); len(r.Errors) != 0 {
		t.Errorf("dashboard refused: %s", r.Raw)
	}
}

func TestHostileBodiesAreRefused(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	nested := `{"query":"{ me { roles } }","variables":{"x":` + strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40) + `}}`
	cases := []struct {
		name   string
		body   []byte
		status int
	}{
		{"batch array", []byte(`[{"query":"{ me { roles } }"},{"query":"{ me { roles } }"}]`), 400},
		{"invalid UTF-8", append([]byte(`{"query":"{ me { roles } }","variables":{"x":"`), 0xff, 0xfe, '"', '}', '}'), 400},
		{"deeply nested variables", []byte(nested), 400},
		{"body over 1 MiB", []byte(`{"query":"{ me { roles } }","variables":{"x":"` + strings.Repeat("a", 1<<20) + `"}}`), 413},
		{"not JSON", []byte(`query { me { roles } }`), 400},
	}
	for _, c := range cases {
		r := w.e.Post(t, w.cm, "application/json", c.body, nil)
		if r.Status != c.status || len(r.Errors) == 0 || r.Errors[0].Code() != "BAD_USER_INPUT" {
			t.Errorf("%s: status %d %.300s, want %d BAD_USER_INPUT", c.name, r.Status, r.Raw, c.status)
		}
	}
	if r := w.e.Query(t, w.cm, `{ me { roles } }`, nil); len(r.Errors) != 0 {
		t.Errorf("server stopped serving: %s", r.Raw)
	}
}
