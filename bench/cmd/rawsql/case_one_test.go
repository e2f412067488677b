package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/internal/seed"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// The one-statement case is a floor only if it reads what the per-edge
// floor (and rdrr) read: every case of a small demo seed must come back
// with the same data both ways, up to how each encodes dates and empty
// lists. On SQLite the mode is refused.
func TestOneStatementCaseAnswersWhatThePerEdgeCaseDoes(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		ctx := context.Background()
		st, err := store.Open(ctx, s.URL, store.Options{})
		if err != nil {
			t.Fatalf("opening store: %v", err)
		}
		defer st.Close()
		if err := st.Migrate(ctx, nil); err != nil {
			t.Fatalf("migrating: %v", err)
		}
		az, err := authz.New(ctx, st.Client, nil)
		if err != nil {
			t.Fatalf("loading policy: %v", err)
		}
		if _, err := seed.Demo(ctx, st.Client, az, seed.Options{Returnees: 40, Seed: 3, Dialect: st.Dialect}); err != nil {
			t.Fatalf("seeding: %v", err)
		}
		d, err := open(s.URL, 4)
		if err != nil {
			t.Fatalf("opening %s: %v", s.Name, err)
		}
		defer d.close()
		if s.Name == "sqlite" {
			if _, err := oneCaseInOneStatement(ctx, d, "ret_x", 20); err == nil {
				t.Fatal("the one-statement case answered on SQLite, which it does not support")
			}
			return
		}
		ids, err := stmt(ctx, d, func(*args) string { return "SELECT id FROM returnees ORDER BY id" })
		if err != nil || len(ids) == 0 {
			t.Fatalf("listing cases: %d, %v", len(ids), err)
		}
		// 2 cuts most connections short; the per-edge floor's timeline then
		// merges only the records on those pages (its shortcut), so it is
		// compared at 20, where no case of this seed has more.
		for _, first := range []int{20, 2} {
			for _, r := range ids {
				id := r["id"].(string)
				perEdge, err := oneCase(ctx, d, id, first)
				if err != nil {
					t.Fatalf("per-edge case %s: %v", id, err)
				}
				one, err := oneCaseInOneStatement(ctx, d, id, first)
				if err != nil {
					t.Fatalf("one-statement case %s: %v", id, err)
				}
				a, b := comparable(t, perEdge, first == 20), comparable(t, one, first == 20)
				if a != b {
					t.Fatalf("case %s, first %d: the two floors differ\nper edge:      %s\none statement: %s", id, first, a, b)
				}
			}
		}
		if _, err := oneCaseInOneStatement(ctx, d, "ret_none", 20); !errors.Is(err, errNotFound) {
			t.Errorf("a case that does not exist: got %v, want errNotFound", err)
		}
	})
}

// comparable renders an answer as canonical JSON (sorted keys) after
// normalising what the floors encode differently: a date or timestamp
// becomes its instant in UTC, an absent list an empty one, and the
// records' createdAt (read by the per-edge floor for the timeline, not
// asked for by the query) is dropped; so is the timeline unless asked for.
func comparable(t *testing.T, v any, timeline bool) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var x map[string]map[string]any
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	if !timeline {
		delete(x["node"], "timeline")
	}
	out, err := json.Marshal(normalise(map[string]any{"node": x["node"]}))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func normalise(x any) any {
	switch v := x.(type) {
	case map[string]any:
		for k, e := range v {
			if _, isRecord := v["recordedOn"]; isRecord && k == "createdAt" {
				delete(v, k)
				continue
			}
			if (k == "members" || k == "guardians") && e == nil {
				e = []any{}
			}
			v[k] = normalise(e)
		}
		return v
	case []any:
		for i := range v {
			v[i] = normalise(v[i])
		}
		return v
	case string:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-07:00", time.DateOnly} {
			if p, err := time.Parse(layout, v); err == nil && strings.Count(v, "-") >= 2 {
				return p.UTC().Format(time.RFC3339Nano)
			}
		}
		return v
	}
	return x
}
