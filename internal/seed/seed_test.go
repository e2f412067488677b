package seed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/caseteammember"
	"github.com/rdrr-project/rdrr/ent/consent"
	"github.com/rdrr-project/rdrr/ent/document"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/ent/riskassessment"
	"github.com/rdrr-project/rdrr/ent/user"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/names"
	"github.com/rdrr-project/rdrr/internal/store"
)

const testReturnees = 300

// seeded is a freshly migrated database with the demo world in it.
type seeded struct {
	st  *store.Store
	az  *authz.Authorizer
	sum *Summary
}

func openStore(t testing.TB, rawURL string) (*store.Store, *authz.Authorizer) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, rawURL, store.Options{})
	if err != nil {
		t.Fatalf("opening store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatalf("migrating: %v", err)
	}
	az, err := authz.New(ctx, st.Client, nil)
	if err != nil {
		t.Fatalf("loading policy: %v", err)
	}
	return st, az
}

func seedInto(t testing.TB, rawURL string, opts Options) seeded {
	t.Helper()
	st, az := openStore(t, rawURL)
	opts.Dialect = st.Dialect
	sum, err := Demo(context.Background(), st.Client, az, opts)
	if err != nil {
		t.Fatalf("Demo: %v", err)
	}
	return seeded{st, az, sum}
}

func sqliteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
}

func TestDemoSQLite(t *testing.T) {
	s := seedInto(t, sqliteURL(t), Options{Returnees: testReturnees, Seed: 1})
	checkWorld(t, s)

	// The planner keeps its row counts per index and loses the sampled
	// values, which would have every statement prepared twice.
	for table, wantRows := range map[string]bool{"sqlite_stat1": true, "sqlite_stat4": false} {
		var n int
		if err := s.st.DB.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatalf("counting %s: %v", table, err)
		}
		if (n > 0) != wantRows {
			t.Errorf("%s has %d rows after seeding, want rows: %v", table, n, wantRows)
		}
	}

	// A second run on the same database refuses and writes nothing.
	before, err := s.st.Client.Returnee.Query().Count(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Demo(context.Background(), s.st.Client, s.az, Options{Returnees: 10}); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("second Demo: got %v, want ErrNotEmpty", err)
	}
	after, _ := s.st.Client.Returnee.Query().Count(viewer.SystemContext(context.Background()))
	if after != before {
		t.Errorf("second Demo wrote returnees: %d -> %d", before, after)
	}
}

func TestDemoIsDeterministic(t *testing.T) {
	a := seedInto(t, sqliteURL(t), Options{Returnees: testReturnees, Seed: 7})
	b := seedInto(t, sqliteURL(t), Options{Returnees: testReturnees, Seed: 7})
	c := seedInto(t, sqliteURL(t), Options{Returnees: testReturnees, Seed: 8})
	ra, rb, rc := fingerprint(t, a), fingerprint(t, b), fingerprint(t, c)
	if len(ra) != testReturnees {
		t.Fatalf("got %d returnees, want %d", len(ra), testReturnees)
	}
	if strings.Join(ra, "\n") != strings.Join(rb, "\n") {
		t.Errorf("same seed gave different returnees:\n%s\n---\n%s", head(ra), head(rb))
	}
	if a.sum.Records != b.sum.Records {
		t.Errorf("same seed gave %d and %d records", a.sum.Records, b.sum.Records)
	}
	same := 0
	inA := map[string]bool{}
	for _, r := range ra {
		inA[r] = true
	}
	for _, r := range rc {
		if inA[r] {
			same++
		}
	}
	if same > 0 {
		t.Errorf("different seeds share %d returnees", same)
	}
	// Records are deterministic too, not only returnees.
	if x, y := recordIDs(t, a), recordIDs(t, b); x != y {
		t.Errorf("same seed gave different record IDs")
	}
}

// Tiny worlds come out exactly the size asked for, even when the last
// family has to be cut short.
func TestDemoSmall(t *testing.T) {
	for _, n := range []int{1, 2, 7} {
		s := seedInto(t, sqliteURL(t), Options{Returnees: n, Seed: int64(n)})
		got, err := s.st.Client.Returnee.Query().Count(viewer.SystemContext(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		if got != n || s.sum.Returnees != n {
			t.Errorf("asked for %d returnees, got %d (summary %d)", n, got, s.sum.Returnees)
		}
	}
}

// fingerprint lists each returnee's ID and names, sorted by ID.
func fingerprint(t testing.TB, s seeded) []string {
	t.Helper()
	rs, err := s.st.Client.Returnee.Query().Order(ent.Asc(returnee.FieldID)).
		All(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%s %s|%s|%s|%v|%s|%s", r.ID, r.GivenName, r.FamilyName, r.Patronymic,
			r.AlternativeSpellings, r.BirthDate.Format(time.DateOnly), r.ReturnDate.Format(time.DateOnly))
	}
	return out
}

func recordIDs(t testing.TB, s seeded) string {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	var b strings.Builder
	meds, err := s.st.Client.MedicalRecord.Query().Order(ent.Asc("id")).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range meds {
		fmt.Fprintf(&b, "%s %s %s %s\n", m.ID, m.ReturneeID, m.Summary, m.RecordedOn.Format(time.DateOnly))
	}
	cs, err := s.st.Client.Consent.Query().Order(ent.Asc("id")).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "%s %s %v %v\n", c.ID, c.ReturneeID, c.Categories, c.ValidFrom.UTC())
	}
	return b.String()
}

func head(xs []string) string { return strings.Join(xs[:min(5, len(xs))], "\n") }

// checkWorld asserts the shape of a seeded demo world.
func checkWorld(t *testing.T, s seeded) {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	cl := s.st.Client
	if s.sum.Organisations != len(orgDefs) || s.sum.Users != len(Accounts) || s.sum.Returnees != testReturnees {
		t.Errorf("summary %+v", *s.sum)
	}
	if s.sum.Records < 5*testReturnees {
		t.Errorf("only %d records for %d returnees", s.sum.Records, testReturnees)
	}

	// Every demo account exists with its role.
	for _, a := range Accounts {
		u, err := cl.User.Query().Where(user.Email(a.Email)).Only(ctx)
		if err != nil {
			t.Errorf("account %s: %v", a.Email, err)
			continue
		}
		d, err := s.az.Decide(u.ID, a.Org)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Roles) != 1 || d.Roles[0] != a.Role {
			t.Errorf("account %s in %s has roles %v, want [%s]", a.Email, a.Org, d.Roles, a.Role)
		}
	}

	rs, err := cl.Returnee.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != testReturnees {
		t.Fatalf("%d returnees, want %d", len(rs), testReturnees)
	}
	// Proportions like the real programmes (loose bounds: 300 returnees in
	// family groups of up to five).
	byCountry, byCat := map[string]int{}, map[returnee.ReturnedAs]int{}
	for _, r := range rs {
		byCountry[r.Citizenship]++
		byCat[r.ReturnedAs]++
	}
	within := func(what string, got int, want float64, tol float64) {
		share := float64(got) / float64(len(rs))
		if share < want-tol || share > want+tol {
			t.Errorf("%s: %.0f%% of returnees, want about %.0f%%", what, 100*share, 100*want)
		}
	}
	within("KZ", byCountry["KZ"], 0.55, 0.12)
	within("UZ", byCountry["UZ"], 0.38, 0.12)
	within("KG", byCountry["KG"], 0.07, 0.06)
	within("children", byCat[returnee.ReturnedAsCHILD], 0.65, 0.08)
	within("women", byCat[returnee.ReturnedAsADULT_WOMAN], 0.25, 0.08)
	within("men", byCat[returnee.ReturnedAsADULT_MAN], 0.10, 0.06)
	if byCountry["KG"] == 0 {
		t.Error("no Kyrgyz returnees")
	}

	// Every returnee has a current LEAD team row for its lead agency, from
	// the day of return.
	leads, err := cl.CaseTeamMember.Query().Where(caseteammember.BasisEQ(caseteammember.BasisLEAD)).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lead := map[gid.ID]*ent.CaseTeamMember{}
	for _, m := range leads {
		lead[m.ReturneeID] = m
	}
	for _, r := range rs {
		m := lead[r.ID]
		switch {
		case m == nil:
			t.Errorf("returnee %s has no LEAD team row", r.ID)
		case m.OrganisationID != r.LeadAgencyID || m.Access != caseteammember.AccessFULL || m.Until != nil:
			t.Errorf("returnee %s: LEAD row %+v does not match lead agency %s", r.ID, m, r.LeadAgencyID)
		case !m.Since.Equal(r.ReturnDate):
			t.Errorf("returnee %s: LEAD since %v, want return date %v", r.ID, m.Since, r.ReturnDate)
		}
		if r.NameKey == "" {
			t.Errorf("returnee %s has no name key", r.ID)
		}
		if r.BirthDate == nil || !r.BirthDate.Before(r.ReturnDate) {
			t.Errorf("returnee %s born %v, returned %v", r.ID, r.BirthDate, r.ReturnDate)
		}
	}

	// Dates: documents are consistent, nothing is recorded in the future.
	docs, err := cl.Document.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[document.Status]int{}
	for _, d := range docs {
		statuses[d.Status]++
		if (d.IssuedOn != nil) != (d.Status == document.StatusISSUED) {
			t.Errorf("document %s: status %s with issued_on %v", d.ID, d.Status, d.IssuedOn)
		}
		if d.IssuedOn != nil && (d.RequestedOn == nil || d.IssuedOn.Before(*d.RequestedOn) || d.IssuedOn.After(today)) {
			t.Errorf("document %s: requested %v issued %v", d.ID, d.RequestedOn, d.IssuedOn)
		}
	}
	for _, st := range []document.Status{document.StatusNOT_STARTED, document.StatusREQUESTED,
		document.StatusIN_PROGRESS, document.StatusISSUED, document.StatusREFUSED} {
		if statuses[st] == 0 {
			t.Errorf("no document with status %s", st)
		}
	}
	meds, err := cl.MedicalRecord.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range meds {
		if m.RecordedOn.After(today) || m.Summary == "" || !strings.HasPrefix(m.Detail, syntheticMark) {
			t.Errorf("medical record %s: %v %q %q", m.ID, m.RecordedOn, m.Summary, m.Detail)
		}
	}
	risks, err := cl.RiskAssessment.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	high := 0
	for _, r := range risks {
		if r.Level == riskassessment.LevelHIGH {
			high++
		}
	}
	if len(risks) == 0 || high == 0 || float64(high)/float64(len(risks)) > 0.3 {
		t.Errorf("%d of %d risk assessments HIGH", high, len(risks))
	}

	// Consents: children sign through a guardian of theirs; some consents
	// are active, some expired, some revoked.
	cs, err := cl.Consent.Query().WithGuardian(func(q *ent.HouseholdMemberQuery) { q.WithWards() }).
		WithReturnee().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var active, expired, revoked int
	for _, c := range cs {
		switch {
		case c.RevokedAt != nil:
			revoked++
		case c.ValidUntil != nil && c.ValidUntil.Before(today):
			expired++
		default:
			active++
		}
		if (c.RecipientID == nil) == !c.WholeTeam {
			t.Errorf("consent %s: recipient %v whole_team %v", c.ID, c.RecipientID, c.WholeTeam)
		}
		for _, cat := range c.Categories {
			if cat != domain.CategoryMedical && cat != domain.CategoryTheological {
				t.Errorf("consent %s covers %s", c.ID, cat)
			}
		}
		child := c.Edges.Returnee.ReturnedAs == returnee.ReturnedAsCHILD
		if child != (c.Signatory == consent.SignatoryGUARDIAN) {
			t.Errorf("consent %s: child %v signed by %s", c.ID, child, c.Signatory)
		}
		if child {
			g := c.Edges.Guardian
			ok := g != nil && g.IsGuardian
			if ok {
				ok = false
				for _, w := range g.Edges.Wards {
					ok = ok || w.ID == c.ReturneeID
				}
			}
			if !ok {
				t.Errorf("consent %s for child %s not signed by one of their guardians", c.ID, c.ReturneeID)
			}
		}
	}
	if active == 0 || expired == 0 || revoked == 0 {
		t.Errorf("consents: %d active, %d expired, %d revoked", active, expired, revoked)
	}

	hhs, err := cl.Household.Query().Count(ctx)
	if err != nil || hhs == 0 {
		t.Errorf("households: %d, %v", hhs, err)
	}
	guardians, err := cl.HouseholdMember.Query().WithWards().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wards := 0
	for _, m := range guardians {
		wards += len(m.Edges.Wards)
		if len(m.Edges.Wards) > 0 && !m.IsGuardian {
			t.Errorf("member %s has wards but is not a guardian", m.ID)
		}
	}
	if wards == 0 {
		t.Error("no guardianships")
	}
}

// Every Latin spelling the generator produces must fold to the same search
// key as the Cyrillic original, or the demo would show search failing.
func TestSpellingsFoldAlike(t *testing.T) {
	for _, c := range []struct {
		code string
		bank *nameBank
	}{{"KZ", &kzNames}, {"UZ", &uzNames}, {"KG", &kgNames}} {
		if len(c.bank.male) < 30 || len(c.bank.female) < 30 || len(c.bank.family) < 30 {
			t.Errorf("%s: name lists too short", c.code)
		}
		var all []string
		all = append(all, c.bank.male...)
		all = append(all, c.bank.female...)
		for _, f := range c.bank.family {
			all = append(all, f, femaleFamily(f), patronymic(f[:len(f)-len("ов")], false))
		}
		for _, m := range c.bank.male {
			all = append(all, patronymic(m, false), patronymic(m, true))
		}
		for _, n := range all {
			want := names.Fold(n)
			for _, sc := range []scheme{passport, national[c.code], informal} {
				if got := names.Fold(latin(n, sc)); got != want {
					t.Errorf("%s: %q -> %q folds to %q, want %q", c.code, n, latin(n, sc), got, want)
				}
			}
		}
	}
	if got := latin("Ахмедов", national["UZ"]); got != "Axmedov" {
		t.Errorf("UZ spelling of Ахмедов = %q", got)
	}
	if got := patronymic("Нурлан", true); got != "Нурлановна" {
		t.Errorf("patronymic = %q", got)
	}
}

// TestDemoPostgres seeds a fresh PostgreSQL database when
// RDRR_TEST_DATABASE_URL names a server.
func TestDemoPostgres(t *testing.T) {
	s := seedInto(t, postgresURL(t), Options{Returnees: testReturnees, Seed: 1})
	checkWorld(t, s)
	// The same seed gives the same data on both stores.
	l := seedInto(t, sqliteURL(t), Options{Returnees: testReturnees, Seed: 1})
	if a, b := fingerprint(t, s), fingerprint(t, l); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("PostgreSQL and SQLite differ:\n%s\n---\n%s", head(a), head(b))
	}
}

// postgresURL creates a uniquely named database on the server named by
// RDRR_TEST_DATABASE_URL, dropped when the test ends, and returns its URL.
func postgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("RDRR_TEST_DATABASE_URL")
	if base == "" {
		t.Skip("RDRR_TEST_DATABASE_URL not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("rdrr_seed_test_%d_%d", time.Now().UnixNano(), rand.IntN(1_000_000))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("dropping test database: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// TestDemoBig times a full-size seed: RDRR_SEED_BIG=1 go test -run Big -v
// (add RDRR_TEST_DATABASE_URL to time PostgreSQL too).
func TestDemoBig(t *testing.T) {
	if os.Getenv("RDRR_SEED_BIG") != "1" {
		t.Skip("set RDRR_SEED_BIG=1 to seed 100000 returnees")
	}
	n := 100_000
	t.Run("sqlite", func(t *testing.T) { timeSeed(t, sqliteURL(t), n) })
	if os.Getenv("RDRR_TEST_DATABASE_URL") != "" {
		t.Run("postgres", func(t *testing.T) { timeSeed(t, postgresURL(t), n) })
	}
}

func timeSeed(t *testing.T, rawURL string, n int) {
	st, az := openStore(t, rawURL)
	start := time.Now()
	sum, err := Demo(context.Background(), st.Client, az, Options{Returnees: n, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	t.Logf("%s: %d returnees, %d records in %s (%.0f rows/s)", st.Dialect, sum.Returnees, sum.Records,
		d.Round(time.Millisecond), float64(sum.Returnees+sum.Records)/d.Seconds())
}
