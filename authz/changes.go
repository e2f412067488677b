package authz

import (
	"context"
	"fmt"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/ent/policyrule"
	"github.com/rdrr-project/rdrr/ent/predicate"
	"github.com/rdrr-project/rdrr/ent/revision"
	"github.com/rdrr-project/rdrr/ent/user"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

const policyRevision = "policy"

// AddPermission validates p and adds it to the policy inside tx. The
// change is in force in this process as soon as tx commits, and in every
// other process within the watch interval.
func (a *Authorizer) AddPermission(ctx context.Context, tx *ent.Tx, p Permission) error {
	if err := a.validatePermission(ctx, tx.Client(), p); err != nil {
		return err
	}
	exists, err := a.ruleQuery(tx.Client(), p.rule()).Exist(ctx)
	if err != nil {
		return fmt.Errorf("checking rule: %w", err)
	}
	if exists {
		return apperr.Conflict("the rule already exists")
	}
	if err := insertRule(ctx, tx.Client(), p.rule()); err != nil {
		return err
	}
	return a.changed(ctx, tx)
}

// RemovePermission removes p from the policy inside tx.
func (a *Authorizer) RemovePermission(ctx context.Context, tx *ent.Tx, p Permission) error {
	n, err := tx.PolicyRule.Delete().Where(ruleIs(p.rule())...).Exec(ctx)
	if err != nil {
		return fmt.Errorf("removing rule: %w", err)
	}
	if n == 0 {
		return apperr.NotFound()
	}
	return a.changed(ctx, tx)
}

// SetRoles replaces the roles of a user in their organisation inside tx.
func (a *Authorizer) SetRoles(ctx context.Context, tx *ent.Tx, userID gid.ID, roles []domain.Role) error {
	u, err := tx.User.Query().Where(user.ID(userID)).WithOrganisation().Only(ctx)
	if err != nil {
		if ent.IsNotFound(err) {
			return apperr.NotFound()
		}
		return fmt.Errorf("loading user: %w", err)
	}
	seen := map[domain.Role]bool{}
	for i, r := range roles {
		if !r.Valid() {
			return apperr.Invalid(fmt.Sprintf("roles[%d]", i), "unknown role %q", r)
		}
		seen[r] = true
	}
	if _, err := tx.PolicyRule.Delete().Where(policyrule.Ptype("g"), policyrule.V0(string(userID))).Exec(ctx); err != nil {
		return fmt.Errorf("clearing roles: %w", err)
	}
	for _, r := range domain.Roles {
		if !seen[r] {
			continue
		}
		if err := insertRule(ctx, tx.Client(), Assignment{UserID: userID, Role: r, Org: u.Edges.Organisation.Slug}.rule()); err != nil {
			return err
		}
	}
	return a.changed(ctx, tx)
}

func (a *Authorizer) validatePermission(ctx context.Context, c *ent.Client, p Permission) error {
	if p.Role != Any && !domain.Role(p.Role).Valid() {
		return apperr.Invalid("role", "unknown role %q", p.Role)
	}
	if !domain.ValidObject(p.Object) {
		return apperr.Invalid("object", "unknown object %q", p.Object)
	}
	if !domain.ValidAction(p.Action) {
		return apperr.Invalid("action", "unknown action %q", p.Action)
	}
	if p.Effect != EffectAllow && p.Effect != EffectDeny {
		return apperr.Invalid("effect", "unknown effect %q", p.Effect)
	}
	if p.Org != Any {
		ok, err := c.Organisation.Query().Where(organisation.Slug(p.Org)).Exist(ctx)
		if err != nil {
			return fmt.Errorf("checking organisation: %w", err)
		}
		if !ok {
			return apperr.Invalid("organisation", "unknown organisation %q", p.Org)
		}
	}
	return nil
}

func insertRule(ctx context.Context, c *ent.Client, r Rule) error {
	v := append(append([]string(nil), r.Values...), make([]string, 6)...)
	err := c.PolicyRule.Create().SetPtype(r.Ptype).
		SetV0(v[0]).SetV1(v[1]).SetV2(v[2]).SetV3(v[3]).SetV4(v[4]).SetV5(v[5]).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("adding rule %s %v: %w", r.Ptype, r.Values, err)
	}
	return nil
}

func ruleIs(r Rule) []predicate.PolicyRule {
	v := append(append([]string(nil), r.Values...), make([]string, 6)...)
	return []predicate.PolicyRule{
		policyrule.Ptype(r.Ptype), policyrule.V0(v[0]), policyrule.V1(v[1]), policyrule.V2(v[2]),
		policyrule.V3(v[3]), policyrule.V4(v[4]), policyrule.V5(v[5]),
	}
}

func (a *Authorizer) ruleQuery(c *ent.Client, r Rule) *ent.PolicyRuleQuery {
	return c.PolicyRule.Query().Where(ruleIs(r)...)
}

// changed bumps the policy revision inside tx and, once tx commits, reloads
// this process's policy and tells the others.
func (a *Authorizer) changed(ctx context.Context, tx *ent.Tx) error {
	if err := bumpRevision(ctx, tx.Client(), policyRevision); err != nil {
		return err
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			if err := next.Commit(ctx, tx); err != nil {
				return err
			}
			if err := a.Reload(context.WithoutCancel(ctx)); err != nil {
				a.log.Error("reloading policy after change", "err", err)
			}
			a.notify()
			return nil
		})
	})
	return nil
}

func bumpRevision(ctx context.Context, c *ent.Client, name string) error {
	err := c.Revision.Create().SetID(name).SetValue(1).
		OnConflictColumns(revision.FieldID).AddValue(1).
		Exec(viewer.SystemContext(ctx))
	if err != nil {
		return fmt.Errorf("bumping %s revision: %w", name, err)
	}
	return nil
}

func readRevision(ctx context.Context, c *ent.Client) (int64, error) {
	r, err := c.Revision.Get(viewer.SystemContext(ctx), policyRevision)
	if ent.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading policy revision: %w", err)
	}
	return r.Value, nil
}

// installDefault fills an empty policy table with policy.csv. Two processes
// starting together may both try; the unique index lets one win and the
// other finds the rules there.
func (a *Authorizer) installDefault(ctx context.Context) error {
	sys := viewer.SystemContext(ctx)
	n, err := a.client.PolicyRule.Query().Count(sys)
	if err != nil {
		return fmt.Errorf("counting policy rules: %w", err)
	}
	if n > 0 {
		return nil
	}
	tx, err := a.client.Tx(sys)
	if err != nil {
		return fmt.Errorf("starting policy install: %w", err)
	}
	for _, r := range parseCSV(defaultPolicy) {
		if err := insertRule(sys, tx.Client(), r); err != nil {
			_ = tx.Rollback()
			if ent.IsConstraintError(err) {
				return nil
			}
			return err
		}
	}
	if err := bumpRevision(sys, tx.Client(), policyRevision); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("installing default policy: %w", err)
	}
	a.log.Info("installed the default policy", "rules", len(parseCSV(defaultPolicy)))
	return nil
}
