package rules

import (
	"context"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/intercept"
	"github.com/rdrr-project/rdrr/ent/privacy"
	"github.com/rdrr-project/rdrr/ent/user"
	"github.com/rdrr-project/rdrr/internal/domain"
)

// DenyIfNoViewer denies any query or mutation made without a viewer in the
// context: a code path that forgot to authenticate gets nothing.
func DenyIfNoViewer() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx) == nil {
			return privacy.Denyf("no viewer in context")
		}
		return privacy.Skip
	})
}

// AllowIfSystem allows the system viewer (migrations, seeding, jobs).
func AllowIfSystem() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx).IsSystem() {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// where adds storage-level predicates to any generated query.
func where(q ent.Query, ps ...func(*sql.Selector)) error {
	w, err := intercept.NewQuery(q)
	if err != nil {
		return privacy.Denyf("unsupported query %T: %v", q, err)
	}
	w.WhereP(ps...)
	return nil
}

// FilterCases limits returnee queries to cases the viewer's organisation is
// on the team of, and to nothing without core read.
func FilterCases() privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
		v := viewer.FromContext(ctx)
		if !v.CanRead(domain.CategoryCore, domain.LevelSummary) {
			return skipAfter(where(q, nothing))
		}
		return skipAfter(where(q, onTeam("id", v.OrgID)))
	})
}

// FilterCaseRecords limits queries of records attached to a case (through a
// returnee_id column) to visible cases, and to nothing when the viewer may
// not read category c at summary level.
func FilterCaseRecords(c domain.Category) privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
		v := viewer.FromContext(ctx)
		if !v.CanRead(c, domain.LevelSummary) {
			return skipAfter(where(q, nothing))
		}
		if EagerUnderCases(ctx) {
			return privacy.Skip
		}
		return skipAfter(where(q, onTeam("returnee_id", v.OrgID)))
	})
}

// EagerUnderCases reports whether a query of case records runs inside the
// execution of a returnee query. ent attaches the outermost query's context
// to everything it runs on that query's behalf: the only such queries are
// the eager loads and edge totals of the returnees it found, which ent
// restricts to those returnees' IDs, and those returnees already passed
// FilterCases. Their team filter would test the same cases again, once per
// record. (Resolvers never run inside an ent query; rules that query the
// database use the system viewer.)
func EagerUnderCases(ctx context.Context) bool {
	qc := entgo.QueryFromContext(ctx)
	return qc != nil && qc.Type == ent.TypeReturnee
}

// FilterHouseholdRecords limits household data (column col holds the
// household ID) to households of visible cases, and to nothing without
// social read.
func FilterHouseholdRecords(col string) privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
		v := viewer.FromContext(ctx)
		if !v.CanRead(domain.CategorySocial, domain.LevelSummary) {
			return skipAfter(where(q, nothing))
		}
		return skipAfter(where(q, householdVisible(col, v.OrgID)))
	})
}

// FilterUsers shows a viewer the staff of their own organisation only,
// unless they may read users (administrators). Staff of other agencies are
// protected: a leak can endanger them too.
func FilterUsers() privacy.QueryRule {
	return privacy.UserQueryRuleFunc(func(ctx context.Context, q *ent.UserQuery) error {
		v := viewer.FromContext(ctx)
		if v.Can(domain.ObjUsers, domain.ActionRead) {
			return privacy.Allow
		}
		q.Where(user.OrganisationID(v.OrgID))
		return privacy.Skip
	})
}

// RequirePermission allows the query or mutation only when the viewer may do
// a to o, and denies it otherwise.
func RequirePermission(o domain.Object, a domain.Action) privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx).Can(o, a) {
			return privacy.Skip
		}
		return privacy.Denyf("%s %s not permitted", a, o)
	})
}

func skipAfter(err error) error {
	if err != nil {
		return err
	}
	return privacy.Skip
}

// FilterReferrals shows a referral to its sending and receiving
// organisations, and to the case's team (with core read): the receiving
// organisation sees it before it can see the case.
func FilterReferrals() privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
		v := viewer.FromContext(ctx)
		org := string(v.OrgID)
		return skipAfter(where(q, func(s *sql.Selector) {
			parties := sql.Or(sql.EQ(s.C("from_organisation_id"), org), sql.EQ(s.C("to_organisation_id"), org))
			if !v.CanRead(domain.CategoryCore, domain.LevelSummary) {
				s.Where(parties)
				return
			}
			s.Where(sql.Or(parties, teamPredicate(s, "returnee_id", v.OrgID)))
		}))
	})
}

// FilterReferralTransitions shows transitions of referrals the viewer sees.
func FilterReferralTransitions() privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
		v := viewer.FromContext(ctx)
		org := string(v.OrgID)
		return skipAfter(where(q, func(s *sql.Selector) {
			r := sql.Table("referrals").As("rdrr_ref")
			parties := sql.Select(r.C("id")).From(r).Where(sql.And(
				sql.ColumnsEQ(r.C("id"), s.C("referral_id")),
				sql.Or(sql.EQ(r.C("from_organisation_id"), org), sql.EQ(r.C("to_organisation_id"), org)),
			))
			if !v.CanRead(domain.CategoryCore, domain.LevelSummary) {
				s.Where(sql.Exists(parties))
				return
			}
			s.Where(sql.Or(sql.Exists(parties), teamPredicate(s, "returnee_id", v.OrgID)))
		}))
	})
}

// FilterOwnOrganisation shows rows whose column col names the viewer's
// organisation (its webhooks and their deliveries).
func FilterOwnOrganisation(col string) privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
		v := viewer.FromContext(ctx)
		return skipAfter(where(q, func(s *sql.Selector) { s.Where(sql.EQ(s.C(col), string(v.OrgID))) }))
	})
}
