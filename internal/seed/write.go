package seed

import (
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// batchSize caps the rows of one INSERT statement. 500 rows keep every
// statement well under SQLite's and PostgreSQL's bound-parameter limits
// (32766 and 65535) for the widest table, and are large enough that
// statement overhead no longer dominates.
const batchSize = 500

// rows collects the builders of one chunk of returnees, to be written in
// one transaction in foreign-key order.
type rows struct {
	tx            *ent.Tx
	households    []*ent.HouseholdCreate
	returnees     []*ent.ReturneeCreate
	members       []*ent.HouseholdMemberCreate
	wards         []int // number of wards of each member, to cap join-table rows per statement
	assessments   []*ent.FamilyAssessmentCreate
	team          []*ent.CaseTeamMemberCreate
	documents     []*ent.DocumentCreate
	legal         []*ent.LegalRecordCreate
	medical       []*ent.MedicalRecordCreate
	theo          []*ent.TheologicalRecordCreate
	risk          []*ent.RiskAssessmentCreate
	interventions []*ent.InterventionCreate
	community     []*ent.CommunityActivityCreate
	consents      []*ent.ConsentCreate
}

// records counts the rows other than returnees (Summary.Records).
func (r *rows) records() int {
	return len(r.households) + len(r.members) + len(r.assessments) + len(r.team) + len(r.documents) +
		len(r.legal) + len(r.medical) + len(r.theo) + len(r.risk) + len(r.interventions) +
		len(r.community) + len(r.consents)
}

// household adds a household row.
func (r *rows) household(hh *household) {
	b := r.tx.Household.Create().SetID(hh.id).SetLabel(hh.label).SetRegion(hh.region)
	if hh.notes != "" {
		b.SetNotes(hh.notes)
	}
	r.households = append(r.households, b)
}

// returnee adds a returnee row. The name search key is set by the schema
// hook from the names.
func (r *rows) returnee(p *person) {
	b := r.tx.Returnee.Create().SetID(p.id).
		SetGivenName(p.name.given).SetFamilyName(p.name.family).
		SetSex(p.sex).SetBirthDate(p.birth).SetBirthDatePrecision(p.precision).
		SetCitizenship(p.c.code).SetCitizenshipStatus(p.cit).
		SetReturnedAs(p.as).SetReturnDate(p.returned).SetOperationID(p.c.opID).
		SetPhase(p.phase).SetCustodyStatus(p.custody).SetRegion(p.region).
		SetLeadAgencyID(p.c.gov).SetExcludedFromStatistics(p.excluded).
		SetStatsKey(statsKeyOf(p.id))
	if p.name.patronymic != "" {
		b.SetPatronymic(p.name.patronymic)
	}
	if len(p.alts) > 0 {
		b.SetAlternativeSpellings(p.alts)
	}
	if p.hh != nil {
		b.SetHouseholdID(p.hh.id)
	}
	r.returnees = append(r.returnees, b)
}

// member adds a household member and the guardianship (wards) edges.
func (r *rows) member(m *member) {
	b := r.tx.HouseholdMember.Create().SetID(m.id).SetHouseholdID(m.hh.id).
		SetGivenName(m.name.given).SetFamilyName(m.name.family).SetSex(m.sex).
		SetBirthYear(m.birthYear).SetRelationship(m.rel).SetIsGuardian(m.guardian)
	for _, w := range m.wards {
		b.AddWardIDs(w.id)
	}
	r.members = append(r.members, b)
	r.wards = append(r.wards, len(m.wards))
}

// flush writes everything collected, parents before children.
func (r *rows) flush(ctx context.Context) error {
	tx := r.tx
	if err := insert(ctx, "households", r.households, func(b []*ent.HouseholdCreate) error {
		return tx.Household.CreateBulk(b...).Exec(ctx)
	}); err != nil {
		return err
	}
	if err := insert(ctx, "returnees", r.returnees, func(b []*ent.ReturneeCreate) error {
		return tx.Returnee.CreateBulk(b...).Exec(ctx)
	}); err != nil {
		return err
	}
	if err := r.flushMembers(ctx); err != nil {
		return err
	}
	steps := []func() error{
		func() error {
			return insert(ctx, "family assessments", r.assessments, func(b []*ent.FamilyAssessmentCreate) error {
				return tx.FamilyAssessment.CreateBulk(b...).Exec(ctx)
			})
		},
		func() error {
			return insert(ctx, "case team members", r.team, func(b []*ent.CaseTeamMemberCreate) error {
				return tx.CaseTeamMember.CreateBulk(b...).Exec(ctx)
			})
		},
		func() error {
			return insert(ctx, "documents", r.documents, func(b []*ent.DocumentCreate) error {
				return tx.Document.CreateBulk(b...).Exec(ctx)
			})
		},
		func() error {
			return insert(ctx, "legal records", r.legal, func(b []*ent.LegalRecordCreate) error {
				return tx.LegalRecord.CreateBulk(b...).Exec(ctx)
			})
		},
		func() error {
			return insert(ctx, "medical records", r.medical, func(b []*ent.MedicalRecordCreate) error {
				return tx.MedicalRecord.CreateBulk(b...).Exec(ctx)
			})
		},
		func() error {
			return insert(ctx, "theological records", r.theo, func(b []*ent.TheologicalRecordCreate) error {
				return tx.TheologicalRecord.CreateBulk(b...).Exec(ctx)
			})
		},
		func() error {
			return insert(ctx, "risk assessments", r.risk, func(b []*ent.RiskAssessmentCreate) error {
				return tx.RiskAssessment.CreateBulk(b...).Exec(ctx)
			})
		},
		func() error {
			return insert(ctx, "interventions", r.interventions, func(b []*ent.InterventionCreate) error {
				return tx.Intervention.CreateBulk(b...).Exec(ctx)
			})
		},
		func() error {
			return insert(ctx, "community activities", r.community, func(b []*ent.CommunityActivityCreate) error {
				return tx.CommunityActivity.CreateBulk(b...).Exec(ctx)
			})
		},
		func() error {
			return insert(ctx, "consents", r.consents, func(b []*ent.ConsentCreate) error {
				return tx.Consent.CreateBulk(b...).Exec(ctx)
			})
		},
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

// flushMembers writes household members in batches that also keep the
// rows of the wards join table under batchSize per statement.
func (r *rows) flushMembers(ctx context.Context) error {
	start, wards := 0, 0
	for i := 0; i <= len(r.members); i++ {
		full := i == len(r.members) || i-start == batchSize || wards+r.wards[i] > batchSize
		if full && i > start {
			if err := r.tx.HouseholdMember.CreateBulk(r.members[start:i]...).Exec(ctx); err != nil {
				return fmt.Errorf("inserting household members: %w", err)
			}
			start, wards = i, 0
		}
		if i < len(r.members) {
			wards += r.wards[i]
		}
	}
	return nil
}

// insert writes items in statements of at most batchSize rows.
func insert[T any](ctx context.Context, what string, items []T, exec func([]T) error) error {
	for len(items) > 0 {
		n := min(batchSize, len(items))
		if err := exec(items[:n]); err != nil {
			return fmt.Errorf("inserting %s: %w", what, err)
		}
		items = items[n:]
	}
	return nil
}

// statsKeyOf gives demo returnees a record key that depends only on their
// (deterministic) ID, so the demo world and its perturbed statistics are
// the same on every run. Real returnees get a crypto-random key.
func statsKeyOf(id gid.ID) int {
	h := sha256.Sum256([]byte(id))
	return int(h[0])
}
