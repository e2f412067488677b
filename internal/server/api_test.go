package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// world is a small fixture: two agencies of one country, a case led by the
// government with the NGO on its team, and a case of another country the
// NGO is not on.
type world struct {
	e               *testenv.Env
	gov, ngo, govUZ *ent.Organisation
	onTeam, offTeam *ent.Returnee
	cm, clin, cmUZ  string // tokens
}

func newWorld(t testing.TB, s testenv.Store) *world {
	t.Helper()
	return newWorldWith(t, s)
}

// newWorldWith is newWorld on a server configured by opts.
func newWorldWith(t testing.TB, s testenv.Store, opts ...func(*server.Config)) *world {
	t.Helper()
	e := testenv.Start(t, s.URL, opts...)
	w := &world{e: e}
	w.gov = e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
	w.ngo = e.Org(t, "ngo-kz", organisation.KindNGO, "KZ")
	w.govUZ = e.Org(t, "gov-uz", organisation.KindGOVERNMENT, "UZ")
	e.User(t, "cm@gov-kz.example", w.gov, domain.RoleCaseManager)
	doc := e.User(t, "doc@ngo-kz.example", w.ngo, domain.RoleClinician)
	e.User(t, "cm@gov-uz.example", w.govUZ, domain.RoleCaseManager)
	w.onTeam = e.Case(t, w.gov, testenv.CaseOpts{Given: "Нурлан", Family: "Ахмедов"}, w.ngo)
	w.offTeam = e.Case(t, w.govUZ, testenv.CaseOpts{Given: "Dilnoza", Family: "Karimova", Citizenship: "UZ"})
	e.AllRecords(t, w.onTeam, doc)
	e.AllRecords(t, w.offTeam, doc)
	w.cm, w.clin, w.cmUZ = e.Token(t, "cm@gov-kz.example"), e.Token(t, "doc@ngo-kz.example"), e.Token(t, "cm@gov-uz.example")
	return w
}

func TestAuthentication(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		e := w.e
		forge := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
			tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		uid := string(w.onTeam.LeadAgencyID) // any well-formed ID that is not a user
		good := jwt.MapClaims{"iss": "rdrr-dev", "aud": "rdrr", "sub": uid, "exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()}
		expired := jwt.MapClaims{"iss": "rdrr-dev", "aud": "rdrr", "sub": uid, "exp": time.Now().Add(-time.Hour).Unix(), "iat": time.Now().Add(-2 * time.Hour).Unix()}
		cases := []struct {
			name, token string
		}{
			{"no token", ""},
			{"garbage", "not-a-jwt"},
			{"alg none", forge(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good)},
			{"wrong key", forge(jwt.SigningMethodHS256, []byte("some-other-key-of-at-least-32-bytes!!"), good)},
			{"expired", forge(jwt.SigningMethodHS256, e.Key(), expired)},
			{"unknown user", forge(jwt.SigningMethodHS256, e.Key(), good)},
			{"wrong issuer", forge(jwt.SigningMethodHS256, e.Key(), jwt.MapClaims{"iss": "evil", "aud": "rdrr", "sub": uid, "exp": time.Now().Add(time.Hour).Unix()})},
		}
		for _, c := range cases {
			res := e.Query(t, c.token, `{ me { user { email } } }`, nil)
			if res.Status != http.StatusUnauthorized || len(res.Errors) != 1 || res.Errors[0].Code() != "UNAUTHENTICATED" || string(res.Data) != "" {
				t.Errorf("%s: status %d, body %s; want 401 UNAUTHENTICATED and no data", c.name, res.Status, res.Raw)
			}
		}
		res := e.Query(t, w.cm, `{ me { user { email } roles } }`, nil)
		var me struct {
			Me struct {
				User  struct{ Email string }
				Roles []string
			}
		}
		res.Decode(t, &me)
		if me.Me.User.Email != "cm@gov-kz.example" || len(me.Me.Roles) != 1 || me.Me.Roles[0] != "CASE_MANAGER" {
			t.Errorf("me = %+v", me)
		}
	})
}

func TestTransportRefusesNonJSONPosts(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	body := []byte(`{"query":"{ me { roles } }"}`)
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		res := w.e.Post(t, w.cm, ct, body, nil)
		if res.Status != http.StatusUnsupportedMediaType || res.Errors[0].Code() != "BAD_USER_INPUT" {
			t.Errorf("%s: status %d %s", ct, res.Status, res.Raw)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, w.e.URL+"/graphql?query=%7Bme%7Broles%7D%7D", nil)
	req.Header.Set("Authorization", "Bearer "+w.cm)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", resp.StatusCode)
	}
}

func TestPagination(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		e := testenv.Start(t, s.URL)
		gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
		e.User(t, "cm@gov-kz.example", gov, domain.RoleCaseManager)
		legal := e.User(t, "legal@gov-kz.example", gov, domain.RoleLegalOfficer)
		var first *ent.Returnee
		for i := 0; i < 25; i++ {
			r := e.Case(t, gov, testenv.CaseOpts{})
			if first == nil {
				first = r
			}
		}
		for i := 0; i < 25; i++ {
			e.AllRecords(t, first, legal)
		}
		tok := e.Token(t, "cm@gov-kz.example")

		type page struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct{ Node struct{ ID string } }
		}
		var got struct{ Returnees page }
		e.Query(t, tok, `{ returnees { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`, nil).Decode(t, &got)
		if len(got.Returnees.Edges) != 20 || got.Returnees.TotalCount != 25 || !got.Returnees.PageInfo.HasNextPage {
			t.Errorf("default page: %d items of %d, hasNext %v; want 20 of 25, true", len(got.Returnees.Edges), got.Returnees.TotalCount, got.Returnees.PageInfo.HasNextPage)
		}
		var next struct{ Returnees page }
		e.Query(t, tok, `query($a: Cursor) { returnees(after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
			map[string]any{"a": got.Returnees.PageInfo.EndCursor}).Decode(t, &next)
		if len(next.Returnees.Edges) != 5 || next.Returnees.PageInfo.HasNextPage {
			t.Errorf("second page: %d items, hasNext %v; want 5, false", len(next.Returnees.Edges), next.Returnees.PageInfo.HasNextPage)
		}
		seen := map[string]bool{}
		for _, p := range []page{got.Returnees, next.Returnees} {
			for _, ed := range p.Edges {
				if seen[ed.Node.ID] {
					t.Errorf("returnee %s on two pages", ed.Node.ID)
				}
				seen[ed.Node.ID] = true
			}
		}

		// A nested connection without first/last is bounded too.
		var nested struct {
			Node struct {
				Documents struct {
					TotalCount int
					Edges      []any
				}
			}
		}
		e.Query(t, tok, `query($id: ID!) { node(id: $id) { ... on Returnee { documents { totalCount edges { node { id } } } } } }`,
			map[string]any{"id": first.ID}).Decode(t, &nested)
		if len(nested.Node.Documents.Edges) != 20 || nested.Node.Documents.TotalCount != 25 {
			t.Errorf("nested default page: %d of %d, want 20 of 25", len(nested.Node.Documents.Edges), nested.Node.Documents.TotalCount)
		}
		var listNested struct {
			Returnees struct {
				Edges []struct {
					Node struct {
						ID        string
						Documents struct{ Edges []any }
					}
				}
			}
		}
		e.Query(t, tok, `{ returnees(first: 100) { edges { node { id documents { edges { node { id } } } } } } }`, nil).Decode(t, &listNested)
		for _, ed := range listNested.Returnees.Edges {
			if ed.Node.ID == string(first.ID) && len(ed.Node.Documents.Edges) != 20 {
				t.Errorf("eager-loaded nested default page has %d items, want 20", len(ed.Node.Documents.Edges))
			}
		}

		// Over the maximum is an error, not a silent clamp, at any depth.
		for _, q := range []string{
			`{ returnees(first: 101) { edges { node { id } } } }`,
			`{ returnees(last: 500) { edges { node { id } } } }`,
			`{ returnees(first: -1) { edges { node { id } } } }`,
			`{ returnees(first: 5) { edges { node { documents(first: 1000) { edges { node { id } } } } } } }`,
			`query($n: Int) { returnees { edges { node { caseTeam(first: $n) { edges { node { id } } } } } } }`,
		} {
			res := e.Query(t, tok, q, map[string]any{"n": 101})
			if len(res.Errors) == 0 || res.Errors[0].Code() != "BAD_USER_INPUT" || strings.Contains(string(res.Data), "edges") {
				t.Errorf("%s: want BAD_USER_INPUT and no data, got %s", q, res.Raw)
			}
		}
	})
}

func TestExplorerHealthAndReadiness(t *testing.T) {
	e := testenv.Start(t, testenv.SQLiteURL(t))
	for path, want := range map[string]int{"/": 200, "/healthz": 200, "/readyz": 200, "/nope": 404} {
		resp, err := http.Get(e.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: security headers missing: %v", path, resp.Header)
		}
	}
}
