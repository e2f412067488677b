package authz_test

import (
	"context"
	"testing"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

func TestDenyRulesOverrideAndFollowTheHierarchy(t *testing.T) {
	st, az := openAuthz(t, testenv.SQLiteURL(t))
	ctx := viewer.SystemContext(context.Background())
	mk := func(slug string) *organisationT {
		return st.Client.Organisation.Create().SetSlug(slug).SetName(slug).SetKind(organisation.KindNGO).SaveX(ctx)
	}
	a, b := mk("org-a"), mk("org-b")
	ca := userWithRole(t, st, az, a, "clin-a@x.example", domain.RoleClinician)
	cb := userWithRole(t, st, az, b, "clin-b@x.example", domain.RoleClinician)
	change := func(f func(tx *entTx) error) {
		t.Helper()
		tx, err := st.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := f(tx); err != nil {
			_ = tx.Rollback()
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	can := func(u *userT, org string, o domain.Object) bool {
		d, err := az.Decide(u.ID, org)
		if err != nil {
			t.Fatal(err)
		}
		return d.Perms.Can(o, domain.ActionRead)
	}
	if !can(ca, "org-a", domain.ObjMedicalDetail) || !can(ca, "org-a", domain.ObjMedicalSummary) {
		t.Fatal("clinician should read medical detail and, by the hierarchy, summary")
	}

	// A deny on detail for one role in one organisation removes detail only.
	detailDeny := authz.Permission{Role: "CLINICIAN", Org: "org-a", Object: domain.ObjMedicalDetail, Action: domain.ActionRead, Effect: authz.EffectDeny}
	change(func(tx *entTx) error { return az.AddPermission(ctx, tx, detailDeny) })
	if can(ca, "org-a", domain.ObjMedicalDetail) || !can(ca, "org-a", domain.ObjMedicalSummary) {
		t.Error("detail deny should remove detail and keep summary")
	}
	if !can(cb, "org-b", domain.ObjMedicalDetail) {
		t.Error("a deny for org-a must not touch org-b")
	}

	// A deny on the summary for every role of an organisation also denies
	// the detail above it.
	summaryDeny := authz.Permission{Role: authz.Any, Org: "org-b", Object: domain.ObjMedicalSummary, Action: domain.ActionRead, Effect: authz.EffectDeny}
	change(func(tx *entTx) error { return az.AddPermission(ctx, tx, summaryDeny) })
	if can(cb, "org-b", domain.ObjMedicalSummary) || can(cb, "org-b", domain.ObjMedicalDetail) {
		t.Error("summary deny should remove summary and detail")
	}

	// Removing the rules restores the grants at once (the cache is
	// invalidated by the change).
	change(func(tx *entTx) error { return az.RemovePermission(ctx, tx, detailDeny) })
	change(func(tx *entTx) error { return az.RemovePermission(ctx, tx, summaryDeny) })
	if !can(ca, "org-a", domain.ObjMedicalDetail) || !can(cb, "org-b", domain.ObjMedicalDetail) {
		t.Error("removing the denies should restore access")
	}
}

func TestPolicyChangesAreValidated(t *testing.T) {
	st, az := openAuthz(t, testenv.SQLiteURL(t))
	ctx := viewer.SystemContext(context.Background())
	st.Client.Organisation.Create().SetSlug("org-a").SetName("A").SetKind(organisation.KindNGO).SaveX(ctx)
	ok := authz.Permission{Role: "CLINICIAN", Org: "org-a", Object: domain.ObjMedicalDetail, Action: domain.ActionRead, Effect: authz.EffectDeny}
	cases := []struct {
		name  string
		p     authz.Permission
		field string
	}{
		{"unknown role", with(ok, func(p *authz.Permission) { p.Role = "JANITOR" }), "role"},
		{"unknown object", with(ok, func(p *authz.Permission) { p.Object = "medical.everything" }), "object"},
		{"unknown action", with(ok, func(p *authz.Permission) { p.Action = "delete" }), "action"},
		{"unknown organisation", with(ok, func(p *authz.Permission) { p.Org = "nowhere" }), "organisation"},
		{"unknown effect", with(ok, func(p *authz.Permission) { p.Effect = "maybe" }), "effect"},
	}
	for _, c := range cases {
		tx, err := st.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = az.AddPermission(ctx, tx, c.p)
		_ = tx.Rollback()
		e, isApp := apperr.As(err)
		if !isApp || e.Code != apperr.CodeBadUserInput || e.Field != c.field {
			t.Errorf("%s: got %v, want BAD_USER_INPUT on %s", c.name, err, c.field)
		}
	}
}

func with(p authz.Permission, f func(*authz.Permission)) authz.Permission { f(&p); return p }
