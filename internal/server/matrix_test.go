package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// The authorization matrix: every role x every category x summary/detail x
// read/write x on-team/off-team x consent absent/active/expired/revoked,
// through the real HTTP API. Expectations are derived from
// authz/access_matrix.csv (what each role is granted) and the two row
// rules of the domain:
//   - nothing of a case is visible or writable off its team;
//   - medical and theological detail written by another organisation needs
//     an active consent naming the category and the reader's organisation.

type consentState string

const (
	consentNone    consentState = "no consent"
	consentActive  consentState = "active consent"
	consentExpired consentState = "expired consent"
	consentRevoked consentState = "revoked consent"
)

type matrixCase struct {
	name    string
	onTeam  bool
	consent consentState
	ret     *ent.Returnee
	recs    testenv.Records
}

func expectRead(m authz.Matrix, role domain.Role, c domain.Category, l domain.Level, mc matrixCase) bool {
	if !mc.onTeam || !m[role][domain.ObjectFor(c, l)].Read {
		return false
	}
	if l == domain.LevelDetail && c.ConsentGated() {
		return mc.consent == consentActive // records are written by another organisation
	}
	return true
}

func expectWrite(m authz.Matrix, role domain.Role, c domain.Category, l domain.Level, mc matrixCase) bool {
	return mc.onTeam && m[role][domain.ObjectFor(c, l)].Write
}

func TestAuthorizationMatrix(t *testing.T) {
	want, _, err := authz.ExpectedMatrix()
	if err != nil {
		t.Fatal(err)
	}
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		e := testenv.Start(t, s.URL)
		lead := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
		reader := e.Org(t, "ngo-kz", organisation.KindNGO, "KZ")
		author := e.User(t, "author@gov-kz.example", lead, domain.RoleLegalOfficer)
		tokens := map[domain.Role]string{}
		for _, role := range domain.Roles {
			email := strings.ToLower(strings.ReplaceAll(string(role), "_", ".")) + "@ngo-kz.example"
			e.User(t, email, reader, role)
			tokens[role] = e.Token(t, email)
		}
		past, future := time.Now().Add(-48*time.Hour), time.Now().Add(48*time.Hour)
		yesterday := time.Now().Add(-24 * time.Hour)
		cases := []matrixCase{
			{name: "off team", onTeam: false, consent: consentActive},
			{name: "on team", onTeam: true, consent: consentNone},
			{name: "on team", onTeam: true, consent: consentActive},
			{name: "on team", onTeam: true, consent: consentExpired},
			{name: "on team", onTeam: true, consent: consentRevoked},
		}
		gated := []domain.Category{domain.CategoryMedical, domain.CategoryTheological}
		for i := range cases {
			mc := &cases[i]
			var team []*ent.Organisation
			if mc.onTeam {
				team = append(team, reader)
			}
			mc.ret = e.Case(t, lead, testenv.CaseOpts{Family: fmt.Sprintf("Matrix%d", i)}, team...)
			mc.recs = e.AllRecords(t, mc.ret, author)
			switch mc.consent {
			case consentActive:
				e.Consent(t, mc.ret, reader, past, &future, false, gated...)
			case consentExpired:
				e.Consent(t, mc.ret, reader, past, &yesterday, false, gated...)
			case consentRevoked:
				e.Consent(t, mc.ret, reader, past, nil, true, gated...)
			}
		}

		cells := 0
		for _, role := range domain.Roles {
			for _, mc := range cases {
				got := readAll(t, e, tokens[role], mc)
				for _, c := range domain.Categories {
					for _, l := range []domain.Level{domain.LevelSummary, domain.LevelDetail} {
						cells++
						if w := expectRead(want, role, c, l, mc); got[c][l] != w {
							t.Errorf("%s, %s/%s, read %s %s: got %v, want %v", role, mc.name, mc.consent, c, l, got[c][l], w)
						}
					}
				}
			}
		}
		for _, role := range domain.Roles {
			for _, mc := range cases {
				for _, c := range domain.Categories {
					for _, l := range []domain.Level{domain.LevelSummary, domain.LevelDetail} {
						cells++
						got, code := write(t, e, tokens[role], c, l, mc)
						w := expectWrite(want, role, c, l, mc)
						if got != w {
							t.Errorf("%s, %s/%s, write %s %s: got %v (%s), want %v", role, mc.name, mc.consent, c, l, got, code, w)
						}
						if !got && !mc.onTeam && code != "NOT_FOUND" && code != "FORBIDDEN" {
							t.Errorf("%s write %s off team: code %s", role, c, code)
						}
					}
				}
			}
		}
		t.Logf("checked %d cells", cells)
	})
}

// readAll fetches every record of a case by its ID and reports which
// category and level came back.
func readAll(t *testing.T, e *testenv.Env, token string, mc matrixCase) map[domain.Category]map[domain.Level]bool {
	t.Helper()
	q := `query($r: ID!, $i: ID!, $d: ID!, $l: ID!, $m: ID!, $t: ID!, $k: ID!) {
	  r: node(id: $r) { ... on Returnee { givenName } }
	  i: node(id: $i) { ... on Intervention { description } }
	  d: node(id: $d) { ... on Document { status documentNumber } }
	  l: node(id: $l) { ... on LegalRecord { summary detail } }
	  m: node(id: $m) { ... on MedicalRecord { summary detail } }
	  t: node(id: $t) { ... on TheologicalRecord { summary detail } }
	  k: node(id: $k) { ... on RiskAssessment { summary detail score } }
	}`
	res := e.Query(t, token, q, map[string]any{
		"r": mc.ret.ID, "i": mc.recs.Intervention.ID, "d": mc.recs.Document.ID, "l": mc.recs.Legal.ID,
		"m": mc.recs.Medical.ID, "t": mc.recs.Theological.ID, "k": mc.recs.Risk.ID,
	})
	for _, er := range res.Errors {
		if c := er.Code(); c != "NOT_FOUND" && c != "FORBIDDEN" {
			t.Fatalf("unexpected error %s: %s", c, res.Raw)
		}
	}
	var d map[string]map[string]any
	if err := json.Unmarshal(res.Data, &d); err != nil {
		t.Fatalf("%v: %s", err, res.Raw)
	}
	has := func(alias, field string) bool { return d[alias] != nil && d[alias][field] != nil }
	out := map[domain.Category]map[domain.Level]bool{}
	set := func(c domain.Category, summary, detail bool) {
		out[c] = map[domain.Level]bool{domain.LevelSummary: summary, domain.LevelDetail: detail}
	}
	set(domain.CategoryCore, has("r", "givenName"), has("r", "givenName"))
	set(domain.CategorySocial, has("i", "description"), has("i", "description"))
	set(domain.CategoryLegal, has("l", "summary") && has("d", "status"), has("l", "detail") && has("d", "documentNumber"))
	set(domain.CategoryMedical, has("m", "summary"), has("m", "detail"))
	set(domain.CategoryTheological, has("t", "summary"), has("t", "detail"))
	set(domain.CategoryRisk, has("k", "summary"), has("k", "detail") && has("k", "score"))
	// A denied detail field is null with exactly one FORBIDDEN error at its path.
	for _, er := range res.Errors {
		if er.Code() == "FORBIDDEN" && len(er.Path) < 2 {
			t.Errorf("FORBIDDEN without a field path: %s", res.Raw)
		}
	}
	return out
}

// write makes the mutation that needs write access to category c at level
// l on the case, and reports whether it succeeded.
func write(t *testing.T, e *testenv.Env, token string, c domain.Category, l domain.Level, mc matrixCase) (bool, string) {
	t.Helper()
	detail := l == domain.LevelDetail
	rid := mc.ret.ID
	var q string
	vars := map[string]any{"r": rid}
	switch c {
	case domain.CategoryCore:
		q = `mutation($r: ID!, $v: Int!) { x: updateReturnee(id: $r, version: $v, input: {region: "Almaty"}) { id } }`
		vars["v"] = currentVersion(t, e, rid)
	case domain.CategorySocial:
		q = `mutation($r: ID!, $p: ID!) { x: createIntervention(input: {returneeId: $r, type: HOUSING, providerId: $p}) { id } }`
		vars["p"] = mc.ret.LeadAgencyID
	case domain.CategoryLegal:
		q = recordMutation("createLegalRecord", "kind: OTHER", detail)
	case domain.CategoryMedical:
		q = recordMutation("createMedicalRecord", "kind: CLINICAL_NOTE", detail)
	case domain.CategoryTheological:
		q = recordMutation("createTheologicalRecord", "kind: SESSION", detail)
	case domain.CategoryRisk:
		q = recordMutation("createRiskAssessment", "tool: OTHER, level: LOW", detail)
	}
	res := e.Query(t, token, q, vars)
	if len(res.Errors) == 0 {
		return true, ""
	}
	code := res.Errors[0].Code()
	if code != "FORBIDDEN" && code != "NOT_FOUND" {
		t.Fatalf("write %s: unexpected error: %s", c, res.Raw)
	}
	if strings.Contains(string(res.Data), `"id"`) {
		t.Fatalf("denied write returned data: %s", res.Raw)
	}
	return false, code
}

func recordMutation(name, fields string, detail bool) string {
	d := ""
	if detail {
		d = `, detail: "written detail"`
	}
	return fmt.Sprintf(`mutation($r: ID!) { x: %s(input: {returneeId: $r, summary: "written summary"%s, recordedOn: "2025-01-01", %s}) { id } }`, name, d, fields)
}

func currentVersion(t *testing.T, e *testenv.Env, id gid.ID) int {
	t.Helper()
	r, err := e.Store.Client.Returnee.Get(sysCtx(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r.Version
}
