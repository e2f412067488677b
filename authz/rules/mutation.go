package rules

import (
	"context"
	"fmt"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/caseteammember"
	"github.com/rdrr-project/rdrr/ent/privacy"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// caseMutation is what every generated mutation of a case record offers.
type caseMutation interface {
	ent.Mutation
	Client() *ent.Client
	ReturneeID() (gid.ID, bool)
	OldReturneeID(context.Context) (gid.ID, error)
}

// authoredMutation is what mutations of sensitive records add.
type authoredMutation interface {
	AuthorOrganisationID() (gid.ID, bool)
	OldAuthorOrganisationID(context.Context) (gid.ID, error)
}

// detailFields are the columns that hold detail-level data of a record.
var detailFields = []string{"detail", "score", "document_number", "notes"}

// touchesDetail reports whether m sets or clears a detail-level column.
func touchesDetail(m ent.Mutation) bool {
	for _, f := range detailFields {
		if _, ok := m.Field(f); ok || m.FieldCleared(f) {
			return true
		}
	}
	return false
}

// AllowCaseRecordWrite allows creating or changing a record of category c on
// a case when the viewer's organisation is on the case team with full access
// and the viewer may write c: at summary level for the summary fields, and
// at detail level when the change sets or clears a detail field. Sensitive
// records may be created only in the viewer's own organisation's name and
// changed only by that organisation. Deletes are never allowed: records are
// not hard-deleted through the API.
func AllowCaseRecordWrite(c domain.Category) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		if !v.CanWrite(c, domain.LevelSummary) {
			return privacy.Denyf("write %s not permitted", c)
		}
		if touchesDetail(m) && !v.CanWrite(c, domain.LevelDetail) {
			return privacy.Denyf("write %s detail not permitted", c)
		}
		cm, ok := m.(caseMutation)
		if !ok {
			return privacy.Denyf("%T is not a case record mutation", m)
		}
		var rid gid.ID
		switch {
		case m.Op().Is(ent.OpCreate):
			id, ok := cm.ReturneeID()
			if !ok {
				return privacy.Denyf("case record without a case")
			}
			rid = id
			if am, ok := m.(authoredMutation); ok {
				if org, _ := am.AuthorOrganisationID(); org != v.OrgID {
					return privacy.Denyf("records are written in the viewer's organisation's name")
				}
			}
		case m.Op().Is(ent.OpUpdateOne):
			id, err := cm.OldReturneeID(ctx)
			if err != nil {
				return privacy.Denyf("loading case of record: %v", err)
			}
			rid = id
			if am, ok := m.(authoredMutation); ok {
				org, err := am.OldAuthorOrganisationID(ctx)
				if err != nil || org != v.OrgID {
					return privacy.Denyf("only the authoring organisation may change a record")
				}
			}
		default:
			return privacy.Denyf("%s of case records is not allowed", m.Op())
		}
		return teamWrite(ctx, cm.Client(), rid, v)
	})
}

// AllowReturneeWrite allows creating a case led by the viewer's own
// organisation, and changing a case the viewer's organisation is on the team
// of with full access, for viewers who may write core data.
func AllowReturneeWrite() privacy.MutationRule {
	return privacy.ReturneeMutationRuleFunc(func(ctx context.Context, m *ent.ReturneeMutation) error {
		v := viewer.FromContext(ctx)
		if !v.CanWrite(domain.CategoryCore, domain.LevelDetail) {
			return privacy.Denyf("write core not permitted")
		}
		switch {
		case m.Op().Is(ent.OpCreate):
			if lead, _ := m.LeadAgencyID(); lead != v.OrgID {
				return privacy.Denyf("a new case is led by the creating organisation")
			}
			return privacy.Allow
		case m.Op().Is(ent.OpUpdateOne):
			id, ok := m.ID()
			if !ok {
				return privacy.Denyf("update without id")
			}
			return teamWrite(ctx, m.Client(), id, v)
		}
		return privacy.Denyf("%s of returnees is not allowed", m.Op())
	})
}

// AllowTeamChange lets the lead agency's case managers (core write) add and
// end team memberships of their cases.
func AllowTeamChange() privacy.MutationRule {
	return privacy.CaseTeamMemberMutationRuleFunc(func(ctx context.Context, m *ent.CaseTeamMemberMutation) error {
		v := viewer.FromContext(ctx)
		if !v.CanWrite(domain.CategoryCore, domain.LevelDetail) {
			return privacy.Denyf("write core not permitted")
		}
		var (
			rid       gid.ID
			firstLead bool
		)
		switch {
		case m.Op().Is(ent.OpCreate):
			rid, _ = m.ReturneeID()
			basis, _ := m.Basis()
			org, _ := m.OrganisationID()
			// Opening a case puts the creating organisation on its team as
			// lead; it cannot yet be on the team to pass the check below.
			firstLead = basis == caseteammember.BasisLEAD && org == v.OrgID
		case m.Op().Is(ent.OpUpdateOne):
			id, err := m.OldReturneeID(ctx)
			if err != nil {
				return privacy.Denyf("loading team member: %v", err)
			}
			rid = id
		default:
			return privacy.Denyf("%s of team members is not allowed", m.Op())
		}
		lead, err := m.Client().Returnee.Query().Where(returnee.ID(rid)).
			Select(returnee.FieldLeadAgencyID).String(viewer.SystemContext(ctx))
		if err != nil {
			return privacy.Denyf("loading case: %v", err)
		}
		if gid.ID(lead) != v.OrgID {
			return privacy.Denyf("only the lead agency changes the case team")
		}
		if firstLead {
			return privacy.Allow
		}
		return teamWrite(ctx, m.Client(), rid, v)
	})
}

// teamWrite allows when v's organisation is on the case team of rid now,
// with full (not break-glass, read-only) access, and denies otherwise.
func teamWrite(ctx context.Context, c *ent.Client, rid gid.ID, v *viewer.Viewer) error {
	ok, err := OnTeam(viewer.SystemContext(ctx), c, rid, v.OrgID, true)
	if err != nil {
		return privacy.Denyf("checking case team: %v", err)
	}
	if !ok {
		return privacy.Denyf("organisation is not on the case team with write access")
	}
	return privacy.Allow
}

// OnTeam reports whether org is on the case team of returnee rid now, with
// full access when writable is set. ctx must allow the lookup (system).
func OnTeam(ctx context.Context, c *ent.Client, rid, org gid.ID, writable bool) (bool, error) {
	q := c.CaseTeamMember.Query().Where(caseteammember.ReturneeID(rid), isCurrentMember(org, now()))
	if writable {
		q = q.Where(caseteammember.AccessEQ(caseteammember.AccessFULL))
	}
	ok, err := q.Exist(ctx)
	if err != nil {
		return false, fmt.Errorf("querying case team: %w", err)
	}
	return ok, nil
}

// AllowConsentWrite lets a team organisation with full access record or
// revoke a consent when the viewer may write core data, or may write every
// category the consent covers (a clinician recording consent to share
// medical detail).
func AllowConsentWrite() privacy.MutationRule {
	return privacy.ConsentMutationRuleFunc(func(ctx context.Context, m *ent.ConsentMutation) error {
		v := viewer.FromContext(ctx)
		var (
			rid  gid.ID
			cats []domain.Category
		)
		switch {
		case m.Op().Is(ent.OpCreate):
			rid, _ = m.ReturneeID()
			cats, _ = m.Categories()
		case m.Op().Is(ent.OpUpdateOne):
			id, err := m.OldReturneeID(ctx)
			if err != nil {
				return privacy.Denyf("loading consent: %v", err)
			}
			rid = id
			if cats, err = m.OldCategories(ctx); err != nil {
				return privacy.Denyf("loading consent: %v", err)
			}
		default:
			return privacy.Denyf("%s of consents is not allowed", m.Op())
		}
		if !v.CanWrite(domain.CategoryCore, domain.LevelDetail) {
			if len(cats) == 0 {
				return privacy.Denyf("write core not permitted")
			}
			for _, c := range cats {
				if !v.CanWrite(c, domain.LevelDetail) {
					return privacy.Denyf("write %s not permitted", c)
				}
			}
		}
		return teamWrite(ctx, m.Client(), rid, v)
	})
}
