package authz

import (
	"context"
	"errors"
	"fmt"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
)

// adapter loads the Casbin policy from our own policy_rules table. It is
// read-only: rdrr never lets Casbin write (autosave is off); changes go
// through Authorizer's methods, which write in the caller's transaction so a
// policy change and its audit event commit together. (The published ent
// adapter runs its own migrations on its own client, which we do not want.)
type adapter struct{ client *ent.Client }

var errReadOnly = errors.New("policy is changed through authz.Authorizer, not the Casbin adapter")

func (a adapter) LoadPolicy(m model.Model) error {
	ctx := viewer.SystemContext(context.Background())
	rules, err := a.client.PolicyRule.Query().All(ctx)
	if err != nil {
		return fmt.Errorf("loading policy rules: %w", err)
	}
	for _, r := range rules {
		line := trimRule([]string{r.Ptype, r.V0, r.V1, r.V2, r.V3, r.V4, r.V5})
		if err := persist.LoadPolicyArray(line, m); err != nil {
			return fmt.Errorf("loading policy rule %s: %w", r.ID, err)
		}
	}
	return nil
}

func (adapter) SavePolicy(model.Model) error                              { return errReadOnly }
func (adapter) AddPolicy(string, string, []string) error                  { return errReadOnly }
func (adapter) RemovePolicy(string, string, []string) error               { return errReadOnly }
func (adapter) RemoveFilteredPolicy(string, string, int, ...string) error { return errReadOnly }

// trimRule drops trailing empty values, as Casbin's own adapters do.
func trimRule(r []string) []string {
	n := len(r)
	for n > 1 && r[n-1] == "" {
		n--
	}
	return r[:n]
}
