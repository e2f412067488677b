package graph

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect/sql"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/predicate"
	"github.com/rdrr-project/rdrr/ent/referral"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/graph/model"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

func (r *Resolver) referrals(ctx context.Context, dir model.ReferralDirection, status []referral.Status,
	after *entgql.Cursor[gid.ID], first *int, before *entgql.Cursor[gid.ID], last *int) (*ent.ReferralConnection, error) {
	v, first, last, err := referralListArgs(ctx, first, last)
	if err != nil {
		return nil, err
	}
	q := r.Client.Referral.Query()
	if dir == model.ReferralDirectionIncoming {
		q = q.Where(referral.ToOrganisationID(v.OrgID))
	} else {
		q = q.Where(referral.FromOrganisationID(v.OrgID))
	}
	if len(status) > 0 {
		q = q.Where(referral.StatusIn(status...))
	}
	return q.Paginate(ctx, after, first, before, last, ent.WithReferralOrder([]*ent.ReferralOrder{
		{Direction: entgql.OrderDirectionDesc, Field: ent.ReferralOrderFieldStatusChangedAt},
	}))
}

// overdueReferrals lists referrals past due and not accepted that the
// viewer's organisation sent or whose case it leads.
func (r *Resolver) overdueReferrals(ctx context.Context, after *entgql.Cursor[gid.ID], first *int, before *entgql.Cursor[gid.ID], last *int) (*ent.ReferralConnection, error) {
	v, first, last, err := referralListArgs(ctx, first, last)
	if err != nil {
		return nil, err
	}
	led := predicate.Referral(func(s *sql.Selector) {
		t := sql.Table(returnee.Table)
		s.Where(sql.In(s.C(referral.FieldReturneeID),
			sql.Select(t.C(returnee.FieldID)).From(t).Where(sql.EQ(t.C(returnee.FieldLeadAgencyID), string(v.OrgID)))))
	})
	return r.Client.Referral.Query().
		Where(referral.StatusEQ(referral.StatusSENT), referral.DueByLT(today()),
			referral.Or(referral.FromOrganisationID(v.OrgID), led)).
		Paginate(ctx, after, first, before, last, ent.WithReferralOrder([]*ent.ReferralOrder{
			{Direction: entgql.OrderDirectionAsc, Field: ent.ReferralOrderFieldDueBy},
		}))
}

// referralListArgs is what every referral list checks first: a viewer who
// may read core case data, and valid page arguments.
func referralListArgs(ctx context.Context, first, last *int) (*viewer.Viewer, *int, *int, error) {
	v, err := viewerOf(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := canRead(ctx, domain.CategoryCore, domain.LevelSummary); err != nil {
		return nil, nil, nil, err
	}
	first, last, err = pageArgs(first, last)
	if err != nil {
		return nil, nil, nil, err
	}
	return v, first, last, nil
}
