package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/householdmember"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Households hang off several cases at once, so which households a viewer
// may change is decided here rather than in a privacy rule: the viewer's
// organisation must be on the team, with full access, of at least one case
// of the household, and of every case it adds or removes.

// requireReturneesWritable checks every returnee in ids is on a case the
// viewer's organisation is on with full access. An invisible case is
// NOT_FOUND; a visible one with read-only access is FORBIDDEN.
func requireReturneesWritable(ctx context.Context, tx *ent.Tx, field string, ids []gid.ID, atLeastOne bool) error {
	if atLeastOne && len(ids) == 0 {
		return apperr.Invalid(field, "name at least one returnee")
	}
	if len(ids) > MaxPageSize {
		return apperr.Invalid(field, "at most %d returnees at once", MaxPageSize)
	}
	v, err := viewerOf(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := caseVisible(ctx, tx.Client(), id); err != nil {
			return apperr.NotFound().With("field", field)
		}
		ok, err := rules.OnTeam(viewer.SystemContext(ctx), tx.Client(), id, v.OrgID, true)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.Forbidden("your organisation has read-only access to a case named in " + field)
		}
	}
	return nil
}

// requireHouseholdWritable loads a household the viewer can see and checks
// the viewer's organisation has full access to one of its cases.
func requireHouseholdWritable(ctx context.Context, tx *ent.Tx, id gid.ID) (*ent.Household, error) {
	h, err := tx.Household.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := viewerOf(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := tx.Returnee.Query().Where(returnee.HouseholdID(id)).IDs(ctx)
	if err != nil {
		return nil, err
	}
	for _, rid := range ids {
		ok, err := rules.OnTeam(viewer.SystemContext(ctx), tx.Client(), rid, v.OrgID, true)
		if err != nil {
			return nil, err
		}
		if ok {
			return h, nil
		}
	}
	return nil, apperr.Forbidden("your organisation has no write access to a case of this household")
}

// requireWardsInHousehold checks guardianship is only given over children
// living in the same household.
func requireWardsInHousehold(ctx context.Context, tx *ent.Tx, household gid.ID, wards []gid.ID) error {
	for _, w := range wards {
		r, err := tx.Returnee.Get(ctx, w)
		if err != nil {
			return apperr.NotFound().With("field", "wardIds")
		}
		if r.HouseholdID == nil || *r.HouseholdID != household {
			return apperr.Invalid("wardIds", "a ward must be a returnee of the same household")
		}
		if r.ReturnedAs != returnee.ReturnedAsCHILD {
			return apperr.Invalid("wardIds", "a ward must be a child")
		}
	}
	return nil
}

func validateIntervention(start, end *time.Time, texts ...*string) error {
	if err := datesInOrder("endedOn", start, end); err != nil {
		return err
	}
	for _, t := range texts {
		if err := checkTexts(map[string]*string{"text": t}); err != nil {
			return err
		}
	}
	return nil
}

func validateHousehold(label, region, notes *string) error {
	return checkTexts(map[string]*string{"label": label, "region": region, "notes": notes})
}

// guardians returns the guardians of ret the viewer may see, ordered by
// family name and ID, at most MaxPageSize. The node query usually loaded
// them already (entgql collects the edge), under the same privacy rules but
// in no order and through a scan of the wards table by case; querying
// them again costs a second such scan. Zero or one loaded guardian needs no
// order; two or more are ordered by the database (its collation, as
// before), looked up by primary key.
func (r *Resolver) guardians(ctx context.Context, ret *ent.Returnee) ([]*ent.HouseholdMember, error) {
	order := []householdmember.OrderOption{householdmember.ByFamilyName(), householdmember.ByID()}
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		if loaded, err := ret.NamedGuardians(fc.Field.Alias); err == nil {
			switch len(loaded) {
			case 0:
				return []*ent.HouseholdMember{}, nil
			case 1:
				return loaded, nil
			}
			ids := make([]gid.ID, len(loaded))
			for i, m := range loaded {
				ids[i] = m.ID
			}
			return r.Client.HouseholdMember.Query().Where(householdmember.IDIn(ids...)).
				Order(order...).Limit(MaxPageSize).All(ctx)
		}
	}
	return ret.QueryGuardians().Order(order...).Limit(MaxPageSize).All(ctx)
}
