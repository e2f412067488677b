package stats

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/document"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/seed"
	"github.com/rdrr-project/rdrr/internal/store"
)

// testNow is the clock of every test: the as-of date is 2026-11-25.
func testNow() time.Time { return time.Date(2026, 11, 25, 15, 4, 5, 0, time.UTC) }

var testAsOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func testConfig() Config { return Config{Now: testNow, MaxAge: -1} } // a fresh snapshot for every report

// openStore opens and migrates the database at url, closed at the end.
func openStore(t testing.TB, url string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatalf("opening store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatalf("migrating: %v", err)
	}
	return st
}

// seedDemo fills st with the demo world of n returnees.
func seedDemo(t testing.TB, st *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	az, err := authz.New(ctx, st.Client, nil)
	if err != nil {
		t.Fatalf("loading policy: %v", err)
	}
	if _, err := seed.Demo(ctx, st.Client, az, seed.Options{Returnees: n, Seed: 1, Dialect: st.Dialect}); err != nil {
		t.Fatalf("seeding: %v", err)
	}
}

func compute(t testing.TB, st *store.Store, req Request, cfg Config) *Report {
	t.Helper()
	r, err := Compute(context.Background(), st.DB, st.Dialect, req, cfg)
	if err != nil {
		t.Fatalf("Compute(%+v): %v", req, err)
	}
	return r
}

// person is a returnee written by a targeted test.
type person struct {
	sex, country, category, phase, custody string
	birth                                  *time.Time
	returned                               time.Time
	key                                    int
	excluded                               bool
	idDocIssued                            *time.Time // an ISSUED passport on this date
}

// world writes returnees straight through ent as the system.
type world struct {
	st  *store.Store
	org *ent.Organisation
}

func newWorld(t testing.TB, st *store.Store) *world {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	org, err := st.Client.Organisation.Create().SetSlug("gov-test").SetName("Test government").
		SetKind(organisation.KindGOVERNMENT).SetCountry("KZ").Save(ctx)
	if err != nil {
		t.Fatalf("creating organisation: %v", err)
	}
	return &world{st: st, org: org}
}

func (w *world) add(t testing.TB, people []person) {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	for start := 0; start < len(people); start += 500 {
		batch := people[start:min(start+500, len(people))]
		creates := make([]*ent.ReturneeCreate, len(batch))
		for i, p := range batch {
			c := w.st.Client.Returnee.Create().
				SetGivenName("Test").SetFamilyName(fmt.Sprintf("Person%d", start+i)).
				SetSex(returnee.Sex(p.sex)).SetCitizenship(p.country).
				SetReturnedAs(returnee.ReturnedAs(p.category)).SetReturnDate(p.returned).
				SetPhase(returnee.Phase(p.phase)).SetCustodyStatus(returnee.CustodyStatus(p.custody)).
				SetLeadAgencyID(w.org.ID).SetStatsKey(p.key).SetExcludedFromStatistics(p.excluded)
			if p.birth != nil {
				c.SetBirthDate(*p.birth)
			}
			creates[i] = c
		}
		rs, err := w.st.Client.Returnee.CreateBulk(creates...).Save(ctx)
		if err != nil {
			t.Fatalf("creating returnees: %v", err)
		}
		var docs []*ent.DocumentCreate
		for i, p := range batch {
			if p.idDocIssued != nil {
				docs = append(docs, w.st.Client.Document.Create().SetReturneeID(rs[i].ID).
					SetType(document.TypePASSPORT).SetStatus(document.StatusISSUED).SetIssuedOn(*p.idDocIssued))
			}
		}
		if len(docs) > 0 {
			if _, err := w.st.Client.Document.CreateBulk(docs...).Save(ctx); err != nil {
				t.Fatalf("creating documents: %v", err)
			}
		}
	}
}

// bornAged returns a birth date that puts someone in the middle of an age
// band at testAsOf.
func bornAged(years int) *time.Time {
	b := testAsOf.AddDate(-years, -6, 0)
	return &b
}

// bandAge is an age inside each band.
var bandAge = map[string]int{"0-4": 2, "5-9": 7, "10-14": 12, "15-17": 16, "18-24": 21, "25-34": 30, "35-44": 40, "45+": 50}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func ptr[T any](v T) *T { return &v }

// newRand is a fixed-seed generator for test data.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// count returns a cell's published count, or -1 when it is withheld.
func count(c Cell) float64 {
	v := c.Values[MeasureReturneeCount]
	if v.Value == nil {
		return -1
	}
	return *v.Value
}

// cellKey renders a cell's dimension values in report order.
func cellKeyOf(r *Report, c Cell) string {
	s := ""
	for _, d := range r.GroupBy {
		v, ok := c.Dimensions[d]
		if !ok {
			v = "*"
		}
		s += v + "|"
	}
	return s
}

// trueCounts counts non-excluded returnees per combination of the given
// columns with plain SQL, independent of the package's query builder.
func queryInt(t testing.TB, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
