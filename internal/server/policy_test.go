package server_test

import (
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

const addRule = `mutation($in: PermissionRuleInput!) { addPermissionRule(input: $in) { revision rules { role organisation object action effect } } }`
const removeRule = `mutation($in: PermissionRuleInput!) { removePermissionRule(input: $in) { revision } }`

func TestPolicyIsManagedThroughTheAPI(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		op := w.e.Org(t, "operator", organisation.KindOPERATOR, "")
		w.e.User(t, "admin@operator.example", op, domain.RoleAdmin)
		admin := w.e.Token(t, "admin@operator.example")
		deny := map[string]any{"role": "CLINICIAN", "organisation": "ngo-kz", "object": "medical.summary", "action": "read", "effect": "DENY"}

		// Only administrators manage policy.
		if r := w.e.Query(t, w.cm, addRule, map[string]any{"in": deny}); len(r.Errors) != 1 || r.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("case manager adding a rule: %s", r.Raw)
		}
		// Administrators read no case data.
		if r := w.e.Query(t, admin, `{ returnees { totalCount } }`, nil); len(r.Errors) != 1 || r.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("admin listing returnees: %s", r.Raw)
		}
		// Unknown names are BAD_USER_INPUT naming the field.
		for field, bad := range map[string]string{"role": "JANITOR", "object": "medical.all", "action": "delete", "organisation": "nowhere"} {
			in := map[string]any{}
			for k, v := range deny {
				in[k] = v
			}
			in[field] = bad
			r := w.e.Query(t, admin, addRule, map[string]any{"in": in})
			if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != field {
				t.Errorf("%s=%s: %s", field, bad, r.Raw)
			}
		}

		medical := `{ returnees { edges { node { medicalRecords { totalCount } } } } }`
		var before struct {
			Returnees struct {
				Edges []struct {
					Node struct{ MedicalRecords *struct{ TotalCount int } }
				}
			}
		}
		w.e.Query(t, w.clin, medical, nil).Decode(t, &before)
		if before.Returnees.Edges[0].Node.MedicalRecords == nil {
			t.Fatal("clinician should read medical records before the deny")
		}
		var added struct{ AddPermissionRule struct{ Revision int } }
		w.e.Query(t, admin, addRule, map[string]any{"in": deny}).Decode(t, &added)
		// In force at once, on this process.
		r := w.e.Query(t, w.clin, medical, nil)
		if len(r.Errors) != 1 || r.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("after deny: %s", r.Raw)
		}
		if r := w.e.Query(t, admin, addRule, map[string]any{"in": deny}); len(r.Errors) != 1 || r.Errors[0].Code() != "CONFLICT" {
			t.Errorf("adding the rule twice: %s", r.Raw)
		}
		w.e.Query(t, admin, removeRule, map[string]any{"in": deny}).Decode(t, &struct{}{})
		if r := w.e.Query(t, w.clin, medical, nil); len(r.Errors) != 0 {
			t.Errorf("after removing the deny: %s", r.Raw)
		}
		if r := w.e.Query(t, admin, removeRule, map[string]any{"in": deny}); len(r.Errors) != 1 || r.Errors[0].Code() != "NOT_FOUND" {
			t.Errorf("removing a missing rule: %s", r.Raw)
		}

		// Roles are policy too.
		var u struct {
			SetUserRoles struct{ Roles []string }
		}
		var me struct {
			Me struct{ User struct{ ID string } }
		}
		w.e.Query(t, w.clin, `{ me { user { id } } }`, nil).Decode(t, &me)
		w.e.Query(t, admin, `mutation($u: ID!) { setUserRoles(userId: $u, roles: [SOCIAL_WORKER]) { roles } }`,
			map[string]any{"u": me.Me.User.ID}).Decode(t, &u)
		if len(u.SetUserRoles.Roles) != 1 || u.SetUserRoles.Roles[0] != "SOCIAL_WORKER" {
			t.Errorf("roles = %v", u.SetUserRoles.Roles)
		}
		if r := w.e.Query(t, w.clin, `{ returnees { edges { node { medicalRecords { edges { node { detail } } } } } } }`, nil); r.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("former clinician, now social worker, still reads medical detail: %s", r.Raw)
		}
	})
}

// TestPolicyChangeReachesEveryProcess runs two servers on one database and
// checks a change made through one is in force on the other within a second.
func TestPolicyChangeReachesEveryProcess(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		opts := []func(*server.Config){w.e.SameKey()}
		if s.Name == "postgres" {
			// No polling: the change must arrive by LISTEN/NOTIFY.
			opts = append(opts, func(c *server.Config) { c.PolicyPoll = time.Hour })
		}
		other := testenv.Start(t, s.URL, opts...)
		op := w.e.Org(t, "operator", organisation.KindOPERATOR, "")
		w.e.User(t, "admin@operator.example", op, domain.RoleAdmin)
		admin := w.e.Token(t, "admin@operator.example")
		medical := `{ returnees { edges { node { medicalRecords { totalCount } } } } }`
		if r := other.Query(t, w.clin, medical, nil); len(r.Errors) != 0 {
			t.Fatalf("before: %s", r.Raw)
		}
		deny := map[string]any{"role": "*", "organisation": "ngo-kz", "object": "medical.summary", "action": "read", "effect": "DENY"}
		w.e.Query(t, admin, addRule, map[string]any{"in": deny}).Decode(t, &struct{}{})
		start := time.Now()
		for {
			r := other.Query(t, w.clin, medical, nil)
			if len(r.Errors) == 1 && r.Errors[0].Code() == "FORBIDDEN" {
				break
			}
			if time.Since(start) > time.Second {
				t.Fatalf("the other process still allows after %s: %s", time.Since(start), r.Raw)
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Logf("policy change in force on the other process after %s", time.Since(start).Round(time.Millisecond))
	})
}
