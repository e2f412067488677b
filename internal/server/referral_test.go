package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/internal/testenv"
)

const sendReferral = `mutation($in: SendReferralInput!) { sendReferral(input: $in) { id status } }`

func referralInput(w *world, due string) map[string]any {
	return map[string]any{"returneeId": w.onTeam.ID, "toOrganisationId": w.govUZ.ID, "service": "HOUSING",
		"reason": "needs housing near family", "categoriesToShare": []string{"SOCIAL"}, "dueBy": due}
}

func TestReferralLifecycleAndEnvelope(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		due := time.Now().UTC().AddDate(0, 0, 7).Format(time.DateOnly)
		var sent struct{ SendReferral struct{ ID, Status string } }
		w.e.Query(t, w.cm, sendReferral, map[string]any{"in": referralInput(w, due)}).Decode(t, &sent)
		id := sent.SendReferral.ID
		if sent.SendReferral.Status != "SENT" {
			t.Fatalf("sent: %+v", sent)
		}
		// While SENT the receiver sees the envelope, not the case.
		view := `query($id: ID!) { node(id: $id) { ... on Referral { status service dueBy overdue reason
		  envelope { initials sex ageBand region } returnee { familyName } from { slug } to { slug }
		  transitions { fromStatus toStatus actorOrganisation { slug } note } } } }`
		var got struct {
			Node struct {
				Status, Service, DueBy string
				Envelope               struct{ Initials, Sex, AgeBand string }
				Returnee               *struct{ FamilyName string }
				Transitions            []struct {
					FromStatus     *string
					ToStatus, Note string
				}
			}
		}
		w.e.Query(t, w.cmUZ, view, map[string]any{"id": id}).Decode(t, &got)
		if got.Node.Returnee != nil || got.Node.Envelope.Initials != "Н. А." || got.Node.Envelope.Sex != "FEMALE" || got.Node.Service != "HOUSING" {
			t.Errorf("receiver's view while SENT: %+v", got.Node)
		}
		if r := w.e.Query(t, w.cmUZ, `query($r: ID!) { node(id: $r) { id } }`, map[string]any{"r": w.onTeam.ID}); r.Errors[0].Code() != "NOT_FOUND" {
			t.Errorf("receiver sees the case before accepting: %s", r.Raw)
		}
		// Only the receiver accepts; the sender cannot.
		accept := `mutation($id: ID!) { acceptReferral(id: $id, note: "we have a flat") { status } }`
		if r := w.e.Query(t, w.cm, accept, map[string]any{"id": id}); r.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("sender accepting: %s", r.Raw)
		}
		w.e.Query(t, w.cmUZ, accept, map[string]any{"id": id}).Decode(t, &struct{}{})
		w.e.Query(t, w.cmUZ, view, map[string]any{"id": id}).Decode(t, &got)
		if got.Node.Returnee == nil || got.Node.Returnee.FamilyName != "Ахмедов" {
			t.Errorf("receiver after accepting: %+v", got.Node)
		}
		// Illegal transitions name the current state.
		r := w.e.Query(t, w.cmUZ, `mutation($id: ID!) { declineReferral(id: $id, reason: "no") { status } }`, map[string]any{"id": id})
		if r.Errors[0].Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "ACCEPTED") {
			t.Errorf("declining an accepted referral: %s", r.Raw)
		}
		// Completing it takes the receiver off the team again.
		w.e.Query(t, w.cmUZ, `mutation($id: ID!) { completeReferral(id: $id, note: "housed") { status } }`, map[string]any{"id": id}).Decode(t, &struct{}{})
		if r := w.e.Query(t, w.cmUZ, `query($r: ID!) { node(id: $r) { id } }`, map[string]any{"r": w.onTeam.ID}); len(r.Errors) == 0 {
			t.Errorf("receiver still on the team after completion: %s", r.Raw)
		}
		w.e.Query(t, w.cm, view, map[string]any{"id": id}).Decode(t, &got)
		var steps []string
		for _, tr := range got.Node.Transitions {
			steps = append(steps, tr.ToStatus)
		}
		if strings.Join(steps, ",") != "SENT,ACCEPTED,COMPLETED" || got.Node.Transitions[1].Note != "we have a flat" {
			t.Errorf("transitions %+v", got.Node.Transitions)
		}
	})
}

func TestReferralTeamRulesAndOverdue(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	due := time.Now().UTC().AddDate(0, 0, 3).Format(time.DateOnly)
	// An organisation already on the team stays on it after its referral ends.
	in := referralInput(w, due)
	in["toOrganisationId"] = w.ngo.ID
	var sent struct{ SendReferral struct{ ID string } }
	w.e.Query(t, w.cm, sendReferral, map[string]any{"in": in}).Decode(t, &sent)
	accept := `mutation($id: ID!) { acceptReferral(id: $id) { status } }`
	if r := w.e.Query(t, w.clin, accept, map[string]any{"id": sent.SendReferral.ID}); r.Errors[0].Code() != "FORBIDDEN" {
		t.Errorf("clinician (no social write) accepting: %s", r.Raw)
	}
	w.e.User(t, "social@ngo-kz.example", w.ngo, "SOCIAL_WORKER")
	w.e.Query(t, w.e.Token(t, "social@ngo-kz.example"), accept, map[string]any{"id": sent.SendReferral.ID}).Decode(t, &struct{}{})
	w.e.Query(t, w.cm, `mutation($id: ID!) { revokeReferral(id: $id, note: "handled internally") { status } }`, map[string]any{"id": sent.SendReferral.ID}).Decode(t, &struct{}{})
	if r := w.e.Query(t, w.clin, `query($r: ID!) { node(id: $r) { id } }`, map[string]any{"r": w.onTeam.ID}); len(r.Errors) != 0 {
		t.Errorf("team member lost the case when a referral to it ended: %s", r.Raw)
	}
	// Past-due referrals are listed for the sender and the lead agency.
	past := referralInput(w, time.Now().UTC().Format(time.DateOnly))
	w.e.Query(t, w.cm, sendReferral, map[string]any{"in": past}).Decode(t, &struct{}{})
	// Two days pass (due dates are immutable through the API).
	if _, err := w.e.Store.DB.ExecContext(sysCtx(), "UPDATE referrals SET due_by = ? WHERE status = 'SENT'", time.Now().UTC().AddDate(0, 0, -2).Truncate(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	var od struct {
		OverdueReferrals struct {
			TotalCount int
			Edges      []struct{ Node struct{ Overdue bool } }
		}
	}
	w.e.Query(t, w.cm, `{ overdueReferrals { totalCount edges { node { overdue } } } }`, nil).Decode(t, &od)
	if od.OverdueReferrals.TotalCount != 1 || !od.OverdueReferrals.Edges[0].Node.Overdue {
		t.Errorf("overdue for the sender: %+v", od)
	}
	if r := w.e.Query(t, w.cm, sendReferral, map[string]any{"in": referralInput(w, "2020-01-01")}); r.Errors[0].Code() != "BAD_USER_INPUT" {
		t.Errorf("due date in the past: %s", r.Raw)
	}
}

func TestPhasesAndTimeline(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		change := `mutation($id: ID!, $v: Int!, $to: Phase!, $why: String) { changePhase(returneeId: $id, version: $v, to: $to, reason: $why) { phase version } }`
		v := func() int { return currentVersion(t, w.e, w.onTeam.ID) }
		step := func(to string, why any) *testenv.Response {
			return w.e.Query(t, w.cm, change, map[string]any{"id": w.onTeam.ID, "v": v(), "to": to, "why": why})
		}
		if r := step("REHABILITATION", nil); r.Errors[0].Code() != "BAD_USER_INPUT" {
			t.Errorf("skipping a phase: %s", r.Raw)
		}
		step("DISENGAGEMENT", nil).Decode(t, &struct{}{})
		step("REHABILITATION", nil).Decode(t, &struct{}{})
		if r := step("DISENGAGEMENT", nil); r.Errors[0].Code() != "BAD_USER_INPUT" {
			t.Errorf("moving back without a reason: %s", r.Raw)
		}
		step("DISENGAGEMENT", "relapse after a family crisis").Decode(t, &struct{}{})
		tl := `query($r: ID!, $a: Cursor) { node(id: $r) { ... on Returnee { timeline(first: 3, after: $a) {
		  edges { cursor node { kind category summary } } pageInfo { hasNextPage endCursor } } } } }`
		type page struct {
			Node struct {
				Timeline struct {
					Edges []struct {
						Node struct{ Kind, Category, Summary string }
					}
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
				}
			}
		}
		var p1, p2 page
		w.e.Query(t, w.cm, tl, map[string]any{"r": w.onTeam.ID}).Decode(t, &p1)
		if len(p1.Node.Timeline.Edges) != 3 || p1.Node.Timeline.Edges[0].Node.Kind != "PHASE_CHANGED" ||
			!strings.Contains(p1.Node.Timeline.Edges[0].Node.Summary, "relapse") || !p1.Node.Timeline.PageInfo.HasNextPage {
			t.Fatalf("first page: %+v", p1)
		}
		w.e.Query(t, w.cm, strings.Replace(tl, "first: 3", "first: 50", 1), map[string]any{"r": w.onTeam.ID, "a": p1.Node.Timeline.PageInfo.EndCursor}).Decode(t, &p2)
		for i, e := range p2.Node.Timeline.Edges {
			for _, f := range p1.Node.Timeline.Edges {
				if f == e {
					t.Errorf("item %d of page 2 repeats page 1: %+v", i, e)
				}
			}
		}
		kinds := map[string]bool{}
		for _, e := range append(p1.Node.Timeline.Edges, p2.Node.Timeline.Edges...) {
			kinds[e.Node.Kind] = true
		}
		if !kinds["RECORD_CREATED"] || !kinds["DOCUMENT_ISSUED"] {
			t.Errorf("timeline kinds %v", kinds)
		}
		// A viewer without medical read sees no medical item at all.
		legal := w.e.User(t, "legal@gov-kz.example", w.gov, "LEGAL_OFFICER")
		_ = legal
		var lp page
		w.e.Query(t, w.e.Token(t, "legal@gov-kz.example"), strings.Replace(tl, "first: 3", "first: 50", 1), map[string]any{"r": w.onTeam.ID}).Decode(t, &lp)
		for _, e := range lp.Node.Timeline.Edges {
			if e.Node.Category == "MEDICAL" || e.Node.Category == "SOCIAL" || e.Node.Category == "THEOLOGICAL" {
				t.Errorf("legal officer's timeline has %s item %q", e.Node.Category, e.Node.Summary)
			}
		}
	})
}
