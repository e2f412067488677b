package server_test

import (
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/ent/householdmember"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestConsentGovernsCrossAgencyDetail: medical detail written by the NGO is
// read by the government's clinician only while a consent is active;
// revocation takes effect on the next request.
func TestConsentGovernsCrossAgencyDetail(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		e := w.e
		e.User(t, "doc@gov-kz.example", w.gov, domain.RoleClinician)
		govDoc := e.Token(t, "doc@gov-kz.example")
		detail := `{ returnees { edges { node { medicalRecords { edges { node { summary detail } } } } } } }`
		readDetail := func(tok string) (bool, *testenv.Response) {
			r := e.Query(t, tok, detail, nil)
			var d struct {
				Returnees struct {
					Edges []struct {
						Node struct {
							MedicalRecords struct {
								Edges []struct {
									Node struct {
										Summary string
										Detail  *string
									}
								}
							}
						}
					}
				}
			}
			r.DecodeData(t, &d)
			n := d.Returnees.Edges[0].Node.MedicalRecords.Edges[0].Node
			if n.Summary == "" {
				t.Fatalf("summary missing: %s", r.Raw)
			}
			return n.Detail != nil, r
		}
		if ok, _ := readDetail(w.clin); !ok {
			t.Fatal("the authoring organisation reads its own detail without consent")
		}
		if ok, r := readDetail(govDoc); ok || r.Errors[0].Code() != "FORBIDDEN" {
			t.Fatalf("without consent: %s", r.Raw)
		}
		// The NGO records the returnee's consent to share with the lead agency.
		var rec struct {
			RecordConsent struct {
				ID     string
				Active bool
			}
		}
		e.Query(t, w.clin, `mutation($r: ID!, $o: ID!) { recordConsent(input: {returneeId: $r, signatory: SUBJECT,
		  categories: [MEDICAL], recipientId: $o, purpose: "coordinated treatment"}) { id active } }`,
			map[string]any{"r": w.onTeam.ID, "o": w.gov.ID}).Decode(t, &rec)
		if !rec.RecordConsent.Active {
			t.Fatalf("consent not active: %+v", rec)
		}
		if ok, r := readDetail(govDoc); !ok {
			t.Fatalf("with consent: %s", r.Raw)
		}
		e.Query(t, w.clin, `mutation($id: ID!) { revokeConsent(id: $id, reason: "withdrawn by the returnee") { active } }`,
			map[string]any{"id": rec.RecordConsent.ID}).Decode(t, &struct{}{})
		if ok, r := readDetail(govDoc); ok {
			t.Fatalf("after revocation: %s", r.Raw)
		}
		// A consent that expires is in force until, and not after, its end.
		until := time.Now().Add(1500 * time.Millisecond).UTC().Format(time.RFC3339Nano)
		e.Query(t, w.clin, `mutation($r: ID!, $u: Time!) { recordConsent(input: {returneeId: $r, signatory: SUBJECT,
		  categories: [MEDICAL], wholeTeam: true, purpose: "short", validUntil: $u}) { id } }`,
			map[string]any{"r": w.onTeam.ID, "u": until}).Decode(t, &struct{}{})
		if ok, r := readDetail(govDoc); !ok {
			t.Fatalf("whole-team consent before expiry: %s", r.Raw)
		}
		time.Sleep(1600 * time.Millisecond)
		if ok, r := readDetail(govDoc); ok {
			t.Fatalf("after expiry: %s", r.Raw)
		}
	})
}

func TestConsentInputRules(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	e := w.e
	child := e.Case(t, w.gov, testenv.CaseOpts{Given: "Али", ReturnedAs: returnee.ReturnedAsCHILD, Sex: returnee.SexMALE}, w.ngo)
	hh, err := e.Store.Client.Household.Create().SetLabel("Family").AddReturneeIDs(child.ID).Save(sysCtx())
	if err != nil {
		t.Fatal(err)
	}
	gran, err := e.Store.Client.HouseholdMember.Create().SetHouseholdID(hh.ID).SetGivenName("Гульнара").SetFamilyName("Ахмедова").
		SetSex(householdmember.SexFEMALE).SetRelationship(householdmember.RelationshipGRANDMOTHER).SetIsGuardian(true).
		AddWardIDs(child.ID).Save(sysCtx())
	if err != nil {
		t.Fatal(err)
	}
	aunt, err := e.Store.Client.HouseholdMember.Create().SetHouseholdID(hh.ID).SetGivenName("Айжан").SetFamilyName("Ахмедова").
		SetSex(householdmember.SexFEMALE).SetRelationship(householdmember.RelationshipAUNT_OR_UNCLE).Save(sysCtx())
	if err != nil {
		t.Fatal(err)
	}
	m := `mutation($in: RecordConsentInput!) { recordConsent(input: $in) { id signatory guardian { givenName } } }`
	base := func() map[string]any {
		return map[string]any{"returneeId": child.ID, "signatory": "GUARDIAN", "guardianId": gran.ID,
			"categories": []string{"MEDICAL"}, "wholeTeam": true, "purpose": "care"}
	}
	cases := []struct {
		name  string
		set   map[string]any
		field string
	}{
		{"child as own signatory", map[string]any{"signatory": "SUBJECT", "guardianId": nil}, "signatory"},
		{"relative who is not guardian", map[string]any{"guardianId": aunt.ID}, "guardianId"},
		{"category shared by role, not consent", map[string]any{"categories": []string{"LEGAL"}}, "categories"},
		{"no category", map[string]any{"categories": []string{}}, "categories"},
		{"recipient and whole team", map[string]any{"recipientId": w.gov.ID}, "recipientId"},
		{"neither recipient nor team", map[string]any{"wholeTeam": false}, "recipientId"},
		{"ends before it starts", map[string]any{"validFrom": "2025-01-02T00:00:00Z", "validUntil": "2025-01-01T00:00:00Z"}, "validUntil"},
		{"empty purpose", map[string]any{"purpose": "  "}, "purpose"},
	}
	for _, c := range cases {
		in := base()
		for k, v := range c.set {
			in[k] = v
		}
		r := e.Query(t, w.clin, m, map[string]any{"in": in})
		if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: %s", c.name, r.Raw)
		}
	}
	// A clinician may record consent for medical data, not theological.
	theo := base()
	theo["categories"] = []string{"MEDICAL", "THEOLOGICAL"}
	if r := e.Query(t, w.clin, m, map[string]any{"in": theo}); len(r.Errors) != 1 || r.Errors[0].Code() != "FORBIDDEN" {
		t.Errorf("clinician recording theological consent: %s", r.Raw)
	}
	var ok struct {
		RecordConsent struct {
			Signatory string
			Guardian  struct{ GivenName string }
		}
	}
	e.Query(t, w.clin, m, map[string]any{"in": base()}).Decode(t, &ok)
	if ok.RecordConsent.Signatory != "GUARDIAN" || ok.RecordConsent.Guardian.GivenName != "Гульнара" {
		t.Errorf("guardian consent: %+v", ok)
	}
	_ = organisation.KindNGO
}
