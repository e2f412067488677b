package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/caseteammember"
	"github.com/rdrr-project/rdrr/ent/referral"
	"github.com/rdrr-project/rdrr/ent/webhook"
	"github.com/rdrr-project/rdrr/graph/model"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// A referral action: who may take it and from which states.
type referralAction struct {
	name   string
	to     referral.Status
	from   []referral.Status
	party  func(v *viewer.Viewer, ref *ent.Referral, lead gid.ID) bool
	needs  domain.Category
	reason bool // a reason is required
}

var (
	receiver = func(v *viewer.Viewer, ref *ent.Referral, _ gid.ID) bool { return ref.ToOrganisationID == v.OrgID }
	sender   = func(v *viewer.Viewer, ref *ent.Referral, _ gid.ID) bool { return ref.FromOrganisationID == v.OrgID }
	leader   = func(v *viewer.Viewer, _ *ent.Referral, lead gid.ID) bool { return lead == v.OrgID }

	actAccept   = referralAction{"accept", referral.StatusACCEPTED, []referral.Status{referral.StatusSENT}, receiver, domain.CategorySocial, false}
	actDecline  = referralAction{"decline", referral.StatusDECLINED, []referral.Status{referral.StatusSENT}, receiver, domain.CategorySocial, true}
	actComplete = referralAction{"complete", referral.StatusCOMPLETED, []referral.Status{referral.StatusACCEPTED}, receiver, domain.CategorySocial, false}
	actWithdraw = referralAction{"withdraw", referral.StatusWITHDRAWN, []referral.Status{referral.StatusSENT, referral.StatusACCEPTED}, sender, domain.CategorySocial, false}
	actRevoke   = referralAction{"revoke", referral.StatusREVOKED, []referral.Status{referral.StatusSENT, referral.StatusACCEPTED}, leader, domain.CategoryCore, false}
)

// sendReferral validates, checks the sender is on the team with write
// access, and writes the referral, its first transition and its webhook
// deliveries in one transaction.
func (r *Resolver) sendReferral(ctx context.Context, in model.SendReferralInput) (*ent.Referral, error) {
	if err := canWrite(ctx, domain.CategorySocial, domain.LevelDetail); err != nil {
		return nil, err
	}
	v, _ := viewerOf(ctx)
	reason := strings.TrimSpace(in.Reason)
	if reason == "" || len(reason) > 2000 {
		return nil, apperr.Invalid("reason", "give a reason of 1 to 2000 characters")
	}
	if err := cleanText("reason", reason); err != nil {
		return nil, err
	}
	if in.DueBy.Before(today()) {
		return nil, apperr.Invalid("dueBy", "dueBy must be today or later")
	}
	if in.ToOrganisationID == v.OrgID {
		return nil, apperr.Invalid("toOrganisationId", "an organisation does not refer a case to itself")
	}
	return inTxValue(ctx, r, func(ctx context.Context, tx *ent.Tx) (*ent.Referral, error) {
		if err := caseVisible(ctx, tx.Client(), in.ReturneeID); err != nil {
			return nil, err
		}
		sys := viewer.SystemContext(ctx)
		ok, err := rules.OnTeam(sys, tx.Client(), in.ReturneeID, v.OrgID, true)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apperr.Forbidden("your organisation has read-only access to this case")
		}
		if _, err := tx.Organisation.Get(ctx, in.ToOrganisationID); err != nil {
			return nil, apperr.NotFound().With("field", "toOrganisationId")
		}
		if in.ConsentID != nil {
			c, err := tx.Consent.Get(ctx, *in.ConsentID)
			if err != nil || c.ReturneeID != in.ReturneeID {
				return nil, apperr.NotFound().With("field", "consentId")
			}
		}
		ref, err := tx.Referral.Create().
			SetReturneeID(in.ReturneeID).SetFromOrganisationID(v.OrgID).SetToOrganisationID(in.ToOrganisationID).
			SetService(referral.Service(in.Service)).SetReason(reason).SetCategoriesToShare(in.CategoriesToShare).
			SetDueBy(in.DueBy).SetNillableConsentID(in.ConsentID).Save(sys)
		if err != nil {
			return nil, err
		}
		if err := r.recordTransition(ctx, tx, ref, "", referral.StatusSENT, reason); err != nil {
			return nil, err
		}
		return tx.Referral.Get(ctx, ref.ID)
	})
}

// moveReferral applies action a to referral id.
func (r *Resolver) moveReferral(ctx context.Context, id gid.ID, a referralAction, note *string) (*ent.Referral, error) {
	if err := canWrite(ctx, a.needs, domain.LevelDetail); err != nil {
		return nil, err
	}
	v, _ := viewerOf(ctx)
	text := ""
	if note != nil {
		text = strings.TrimSpace(*note)
	}
	if a.reason && text == "" {
		return nil, apperr.Invalid("reason", "give a reason")
	}
	if len(text) > 2000 {
		return nil, apperr.Invalid("note", "at most 2000 characters")
	}
	if err := cleanText("note", text); err != nil {
		return nil, err
	}
	return inTxValue(ctx, r, func(ctx context.Context, tx *ent.Tx) (*ent.Referral, error) {
		ref, err := tx.Referral.Get(ctx, id) // NOT_FOUND unless a party or on the team
		if err != nil {
			return nil, err
		}
		sys := viewer.SystemContext(ctx)
		ret, err := tx.Returnee.Get(sys, ref.ReturneeID)
		if err != nil {
			return nil, err
		}
		if !a.party(v, ref, ret.LeadAgencyID) {
			return nil, apperr.Forbidden("your organisation may not " + a.name + " this referral")
		}
		allowed := false
		for _, s := range a.from {
			allowed = allowed || ref.Status == s
		}
		if !allowed {
			return nil, apperr.Invalid("id", "cannot %s a referral that is %s", a.name, ref.Status).With("status", string(ref.Status))
		}
		n, err := tx.Referral.Update().Where(referral.ID(id), referral.Version(ref.Version), referral.StatusEQ(ref.Status)).
			SetStatus(a.to).SetStatusChangedAt(time.Now().UTC()).Save(sys)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, apperr.Conflict("the referral was changed by someone else; reload and retry")
		}
		if err := r.referralTeam(ctx, tx, ref, a.to); err != nil {
			return nil, err
		}
		if err := r.recordTransition(ctx, tx, ref, ref.Status, a.to, text); err != nil {
			return nil, err
		}
		return tx.Referral.Get(ctx, id)
	})
}

// referralTeam keeps the receiving organisation's team membership in step:
// it joins on acceptance, and leaves when the referral ends unless it was on
// the team before or holds another accepted referral for the case.
func (r *Resolver) referralTeam(ctx context.Context, tx *ent.Tx, ref *ent.Referral, to referral.Status) error {
	sys := viewer.SystemContext(ctx)
	now := time.Now().UTC()
	active := caseteammember.And(caseteammember.ReturneeID(ref.ReturneeID), caseteammember.OrganisationID(ref.ToOrganisationID),
		caseteammember.SinceLTE(now), caseteammember.Or(caseteammember.UntilIsNil(), caseteammember.UntilGT(now)))
	if to == referral.StatusACCEPTED {
		on, err := tx.CaseTeamMember.Query().Where(active, caseteammember.BasisNEQ(caseteammember.BasisBREAK_GLASS)).Exist(sys)
		if err != nil || on {
			return err
		}
		return tx.CaseTeamMember.Create().SetReturneeID(ref.ReturneeID).SetOrganisationID(ref.ToOrganisationID).
			SetBasis(caseteammember.BasisREFERRAL).SetAccess(caseteammember.AccessFULL).SetSince(now).Exec(sys)
	}
	if ref.Status != referral.StatusACCEPTED {
		return nil // it never joined through this referral
	}
	other, err := tx.Referral.Query().Where(referral.ReturneeID(ref.ReturneeID), referral.ToOrganisationID(ref.ToOrganisationID),
		referral.StatusEQ(referral.StatusACCEPTED), referral.IDNEQ(ref.ID)).Exist(sys)
	if err != nil || other {
		return err
	}
	_, err = tx.CaseTeamMember.Update().Where(active, caseteammember.BasisEQ(caseteammember.BasisREFERRAL)).SetUntil(now).Save(sys)
	return err
}

// recordTransition writes the transition, queues webhook deliveries to both
// organisations, and announces it once committed.
func (r *Resolver) recordTransition(ctx context.Context, tx *ent.Tx, ref *ent.Referral, from, to referral.Status, note string) error {
	v, _ := viewerOf(ctx)
	sys := viewer.SystemContext(ctx)
	t, err := tx.ReferralTransition.Create().SetReferralID(ref.ID).SetReturneeID(ref.ReturneeID).
		SetFromStatus(string(from)).SetToStatus(string(to)).SetActorID(v.UserID).SetActorOrganisationID(v.OrgID).
		SetNote(note).Save(sys)
	if err != nil {
		return fmt.Errorf("recording the transition: %w", err)
	}
	if err := r.queueWebhooks(ctx, tx, ref, to, t); err != nil {
		return err
	}
	msg := referralMsg{Referral: ref.ID, Transition: t.ID, From: ref.FromOrganisationID, To: ref.ToOrganisationID}
	afterCommit(tx, func() {
		r.announce(TopicReferral, msg)
		r.announce(TopicCase, caseMsg{Returnee: ref.ReturneeID, Kind: "REFERRAL", At: t.At})
		if r.Webhooks != nil {
			r.Webhooks.Poke()
		}
	})
	return nil
}

// webhookPayload is what a referral event tells an endpoint: the referral,
// never the case. Both organisations may read all of it.
type webhookPayload struct {
	Event      string    `json:"event"`
	OccurredAt time.Time `json:"occurredAt"`
	Referral   struct {
		ID      gid.ID    `json:"id"`
		Status  string    `json:"status"`
		Service string    `json:"service"`
		DueBy   string    `json:"dueBy"`
		From    gid.ID    `json:"fromOrganisationId"`
		To      gid.ID    `json:"toOrganisationId"`
		Changed time.Time `json:"statusChangedAt"`
	} `json:"referral"`
}

func (r *Resolver) queueWebhooks(ctx context.Context, tx *ent.Tx, ref *ent.Referral, to referral.Status, t *ent.ReferralTransition) error {
	sys := viewer.SystemContext(ctx)
	hooks, err := tx.Webhook.Query().Where(webhook.Active(true),
		webhook.OrganisationIDIn(ref.FromOrganisationID, ref.ToOrganisationID)).All(sys)
	if err != nil || len(hooks) == 0 {
		return err
	}
	var p webhookPayload
	p.Event = "referral." + strings.ToLower(string(to))
	p.OccurredAt = t.At.UTC()
	p.Referral.ID, p.Referral.Status, p.Referral.Service = ref.ID, string(to), string(ref.Service)
	p.Referral.DueBy = ref.DueBy.Format(time.DateOnly)
	p.Referral.From, p.Referral.To, p.Referral.Changed = ref.FromOrganisationID, ref.ToOrganisationID, t.At.UTC()
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	for _, h := range hooks {
		if err := tx.WebhookDelivery.Create().SetWebhookID(h.ID).SetOrganisationID(h.OrganisationID).
			SetEvent(p.Event).SetPayload(string(body)).Exec(sys); err != nil {
			return fmt.Errorf("queueing a webhook delivery: %w", err)
		}
	}
	return nil
}

// envelope is what the receiving organisation may know of the case.
func (r *Resolver) envelope(ctx context.Context, ref *ent.Referral) (*model.ReferralEnvelope, error) {
	ret, err := r.Client.Returnee.Get(viewer.SystemContext(ctx), ref.ReturneeID)
	if err != nil {
		return nil, err
	}
	e := &model.ReferralEnvelope{Initials: initials(ret.GivenName, ret.FamilyName), Sex: ret.Sex, AgeBand: ageBand(ret.BirthDate, time.Now())}
	if ret.Region != "" {
		e.Region = &ret.Region
	}
	return e, nil
}

func initials(names ...string) string {
	var parts []string
	for _, n := range names {
		for _, r := range strings.TrimSpace(n) {
			parts = append(parts, string(r)+".")
			break
		}
	}
	return strings.Join(parts, " ")
}

// ageBand is the donors' age band at t.
func ageBand(birth *time.Time, t time.Time) string {
	if birth == nil {
		return "UNKNOWN"
	}
	age := t.Year() - birth.Year()
	if t.YearDay() < birth.YearDay() {
		age--
	}
	switch {
	case age < 5:
		return "0-4"
	case age < 10:
		return "5-9"
	case age < 15:
		return "10-14"
	case age < 18:
		return "15-17"
	case age < 25:
		return "18-24"
	case age < 35:
		return "25-34"
	case age < 45:
		return "35-44"
	}
	return "45+"
}

func today() time.Time {
	y, m, d := time.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
