package server_test

import (
	"strings"
	"testing"

	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestStringFiltersTreatMetacharactersAsText: SQL metacharacters and LIKE
// wildcards in every string filter match nothing (they are text, not
// syntax), error nowhere, and leak nothing.
func TestStringFiltersTreatMetacharactersAsText(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	hostile := []string{"%", "_", "%%", "' OR '1'='1", "\"; DROP TABLE returnees; --", "\\", "*", "KZ' --", "a%_b"}
	filters := []string{
		`{ returnees(search: $s) { totalCount } }`,
		`{ returnees(where: {citizenship: $s}) { totalCount } }`,
		`{ returnees(where: {citizenshipIn: [$s]}) { totalCount } }`,
		`{ returnees(where: {region: $s}) { totalCount } }`,
		`{ organisations(where: {slug: $s}) { totalCount } }`,
		`{ organisations(where: {country: $s}) { totalCount } }`,
	}
	for _, f := range filters {
		q := "query($s: String!) " + f
		for _, h := range hostile {
			r := w.e.Query(t, w.cm, q, map[string]any{"s": h})
			if r.Status >= 500 || strings.Contains(strings.ToLower(string(r.Raw)), "sql") {
				t.Errorf("%s with %q: %s", f, h, r.Raw)
				continue
			}
			for _, e := range r.Errors {
				if e.Code() != "BAD_USER_INPUT" {
					t.Errorf("%s with %q: code %s", f, h, e.Code())
				}
			}
			if strings.Contains(string(r.Data), `"totalCount":1`) || strings.Contains(string(r.Data), `"totalCount":2`) {
				t.Errorf("%s with %q matched records: %s", f, h, r.Raw)
			}
		}
	}
	// The tables are still there.
	if r := w.e.Query(t, w.cm, `{ returnees { totalCount } }`, nil); !strings.Contains(string(r.Data), `"totalCount":1`) {
		t.Errorf("after hostile filters: %s", r.Raw)
	}
}

func TestEnumsAndTypesOutsideTheSchemaAreRefused(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	for _, q := range []string{
		`{ returnees(where: {phase: NIRVANA}) { totalCount } }`,
		`query($p: Phase) { returnees(where: {phase: $p}) { totalCount } }`,
		`{ returnees(first: "ten") { totalCount } }`,
		`{ returnees(first: 10000000000000) { totalCount } }`,
		`{ nosuchfield }`,
	} {
		r := w.e.Query(t, w.cm, q, map[string]any{"p": "NIRVANA"})
		if len(r.Errors) == 0 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Status >= 500 {
			t.Errorf("%s: %s", q, r.Raw)
		}
		if strings.Contains(r.Raw2(), "Did you mean") {
			t.Errorf("%s: field suggestions outside development: %s", q, r.Raw)
		}
	}
}
