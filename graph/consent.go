package graph

import (
	"context"
	"strings"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/consent"
	"github.com/rdrr-project/rdrr/ent/householdmember"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/graph/model"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/domain"
)

// consentActive reports whether c is in force at t.
func consentActive(c *ent.Consent, t time.Time) bool {
	return c.RevokedAt == nil && !c.ValidFrom.After(t) && (c.ValidUntil == nil || c.ValidUntil.After(t))
}

func validateConsent(in model.RecordConsentInput, from time.Time) error {
	if len(in.Categories) == 0 {
		return apperr.Invalid("categories", "name at least one category")
	}
	for _, c := range in.Categories {
		if !c.ConsentGated() {
			return apperr.Invalid("categories", "%s data is shared by role, not by consent; consent covers MEDICAL and THEOLOGICAL", c)
		}
	}
	whole := in.WholeTeam != nil && *in.WholeTeam
	if whole == (in.RecipientID != nil) {
		return apperr.Invalid("recipientId", "give either recipientId or wholeTeam: true")
	}
	p := strings.TrimSpace(in.Purpose)
	if p == "" || len(p) > 500 {
		return apperr.Invalid("purpose", "give a purpose of 1 to 500 characters")
	}
	if err := cleanText("purpose", p); err != nil {
		return err
	}
	if in.ValidUntil != nil && !in.ValidUntil.After(from) {
		return apperr.Invalid("validUntil", "validUntil must be after validFrom")
	}
	switch in.Signatory {
	case consent.SignatoryGUARDIAN:
		if in.GuardianID == nil {
			return apperr.Invalid("guardianId", "a guardian's consent names the guardian")
		}
	case consent.SignatorySUBJECT:
		if in.GuardianID != nil {
			return apperr.Invalid("guardianId", "guardianId is only for consent given by a guardian")
		}
	}
	return nil
}

// checkSignatory enforces that a child's consent is given by one of the
// child's recorded guardians, and an adult's by the adult.
func checkSignatory(ctx context.Context, tx *ent.Tx, in model.RecordConsentInput) error {
	r, err := tx.Returnee.Get(ctx, in.ReturneeID)
	if err != nil {
		return err
	}
	child := r.ReturnedAs == returnee.ReturnedAsCHILD
	switch {
	case child && in.Signatory == consent.SignatorySUBJECT:
		return apperr.Invalid("signatory", "a child's consent is given by a guardian")
	case !child && in.Signatory == consent.SignatoryGUARDIAN:
		return apperr.Invalid("signatory", "an adult gives consent personally")
	case in.Signatory == consent.SignatoryGUARDIAN:
		ok, err := tx.HouseholdMember.Query().Where(
			householdmember.ID(*in.GuardianID),
			householdmember.IsGuardian(true),
			householdmember.HasWardsWith(returnee.ID(in.ReturneeID)),
		).Exist(viewer.SystemContext(ctx))
		if err != nil {
			return err
		}
		if !ok {
			return apperr.Invalid("guardianId", "the signatory is not a recorded guardian of this child")
		}
	}
	return nil
}

// mayBreakGlass: emergency access is for staff who work on cases, never for
// analysts (numbers only) or administrators (no case data).
func mayBreakGlass(v *viewer.Viewer) bool {
	if !v.CanRead(domain.CategoryCore, domain.LevelSummary) {
		return false
	}
	for _, r := range v.Roles {
		if r != domain.RoleAnalyst && r != domain.RoleAdmin && r != domain.RoleDataProtectionOfficer {
			return true
		}
	}
	return false
}
