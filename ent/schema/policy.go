package schema

import (
	"entgo.io/ent"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/ent/privacy"
	"github.com/rdrr-project/rdrr/internal/domain"
)

// The privacy policies of entities that are not case records. Case records
// get theirs from caseMixin. Every list ends in an explicit decision.

func (Returnee) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(), rules.FilterCases(), privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(), rules.AllowReturneeWrite(), privacy.AlwaysDenyRule(),
		},
	}
}

// referenceData is readable by every authenticated viewer and written by
// those allowed write on o.
func referenceData(o domain.Object) ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(), privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(),
			rules.RequirePermission(o, domain.ActionWrite), privacy.AlwaysAllowRule(),
		},
	}
}

func (Organisation) Policy() ent.Policy { return referenceData(domain.ObjUsers) }

func (RepatriationOperation) Policy() ent.Policy { return referenceData(domain.ObjCore) }

func (User) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(), rules.FilterUsers(), privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(),
			rules.RequirePermission(domain.ObjUsers, domain.ActionWrite), privacy.AlwaysAllowRule(),
		},
	}
}

func (PolicyRule) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(),
			rules.RequirePermission(domain.ObjPolicy, domain.ActionRead), privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(),
			rules.RequirePermission(domain.ObjPolicy, domain.ActionWrite), privacy.AlwaysAllowRule(),
		},
	}
}

// householdData is social data reached through a household.
func householdData(col string) ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(), rules.FilterHouseholdRecords(col), privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			// Which households a viewer may change is checked by the
			// household commands (graph/household.go), which need the
			// household's cases; here only the category is enforced.
			rules.DenyIfNoViewer(), rules.AllowIfSystem(),
			rules.RequirePermission(domain.ObjSocial, domain.ActionWrite), privacy.AlwaysAllowRule(),
		},
	}
}

func (Household) Policy() ent.Policy        { return householdData("id") }
func (HouseholdMember) Policy() ent.Policy  { return householdData("household_id") }
func (FamilyAssessment) Policy() ent.Policy { return householdData("household_id") }
