package graph

import (
	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/graph/model"
	"github.com/rdrr-project/rdrr/internal/domain"
)

// accessPolicy renders the permission rules in force.
func (r *Resolver) accessPolicy() (*model.AccessPolicy, error) {
	rules, err := r.Authz.Rules()
	if err != nil {
		return nil, err
	}
	out := &model.AccessPolicy{Revision: int(r.Authz.Revision()), Rules: []*model.PermissionRule{}}
	for _, rule := range rules {
		p, ok := rule.Permission()
		if !ok {
			continue
		}
		eff := model.PolicyEffectAllow
		if p.Effect == authz.EffectDeny {
			eff = model.PolicyEffectDeny
		}
		out.Rules = append(out.Rules, &model.PermissionRule{
			Role: p.Role, Organisation: p.Org, Object: string(p.Object), Action: string(p.Action), Effect: eff,
		})
	}
	return out, nil
}
func permissionFrom(in model.PermissionRuleInput) authz.Permission {
	eff := authz.EffectAllow
	if in.Effect == model.PolicyEffectDeny {
		eff = authz.EffectDeny
	}
	return authz.Permission{
		Role: in.Role, Org: in.Organisation, Object: domain.Object(in.Object), Action: domain.Action(in.Action), Effect: eff,
	}
}
