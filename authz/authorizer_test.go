package authz_test

import (
	"context"
	"testing"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

func openAuthz(t *testing.T, url string) (*store.Store, *authz.Authorizer) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	az, err := authz.New(ctx, st.Client, nil)
	if err != nil {
		t.Fatal(err)
	}
	return st, az
}

// userWithRole creates a user holding one role in org.
func userWithRole(t *testing.T, st *store.Store, az *authz.Authorizer, org *ent.Organisation, email string, roles ...domain.Role) *ent.User {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	tx, err := st.Client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u := tx.User.Create().SetEmail(email).SetName(email).SetOrganisationID(org.ID).SaveX(ctx)
	if err := az.SetRoles(ctx, tx, u.ID, roles); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return u
}

// TestDefaultPolicyMatchesTheMatrix checks that Casbin, with the shipped
// policy, decides exactly what access_matrix.csv documents, for every role,
// object and action.
func TestDefaultPolicyMatchesTheMatrix(t *testing.T) {
	st, az := openAuthz(t, testenv.SQLiteURL(t))
	want, objs, err := authz.ExpectedMatrix()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != len(domain.Roles) || len(objs) != len(domain.Objects) {
		t.Fatalf("matrix covers %d roles and %d objects, want %d and %d", len(want), len(objs), len(domain.Roles), len(domain.Objects))
	}
	org := st.Client.Organisation.Create().SetSlug("org-a").SetName("A").SetKind(organisation.KindNGO).
		SaveX(viewer.SystemContext(context.Background()))
	for _, role := range domain.Roles {
		u := userWithRole(t, st, az, org, "u-"+string(role)+"@x.example", role)
		d, err := az.Decide(u.ID, org.Slug)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			g := want[role][o]
			if got := d.Perms.Can(o, domain.ActionRead); got != g.Read {
				t.Errorf("%s read %s = %v, matrix says %v", role, o, got, g.Read)
			}
			if got := d.Perms.Can(o, domain.ActionWrite); got != g.Write {
				t.Errorf("%s write %s = %v, matrix says %v", role, o, got, g.Write)
			}
		}
	}
}
