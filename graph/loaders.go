package graph

import (
	"context"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/caseteammember"
	"github.com/rdrr-project/rdrr/ent/consent"
	"github.com/rdrr-project/rdrr/ent/document"
	"github.com/rdrr-project/rdrr/ent/legalrecord"
	"github.com/rdrr-project/rdrr/ent/medicalrecord"
	"github.com/rdrr-project/rdrr/ent/riskassessment"
	"github.com/rdrr-project/rdrr/ent/theologicalrecord"
	"github.com/rdrr-project/rdrr/ent/user"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// loaders batch the lookups that resolvers make per item of a list (the
// author of each record, the consents of each case) into one query per
// kind per request. They are created per request because what they return
// depends on the viewer.
type loaders struct {
	client  *ent.Client // the request's, which the loaders query through
	orgs    *dataloadgen.Loader[gid.ID, *ent.Organisation]
	users   *dataloadgen.Loader[gid.ID, *ent.User]
	sharing *dataloadgen.Loader[gid.ID, *caseSharing]
	owners  *dataloadgen.Loader[gid.ID, recordOwner]
}

// recordOwner is the case and authoring organisation of a sensitive record.
type recordOwner struct{ returnee, authorOrg gid.ID }

// caseSharing is what the consent rule needs to know about one case.
type caseSharing struct {
	consents   []*ent.Consent // consents naming the viewer's organisation or the whole team
	breakGlass bool           // the viewer's organisation is on the team only by break-glass
}

type loadersKey struct{}

const batchWait = 500 * time.Microsecond

// WithLoaders returns ctx with fresh per-request loaders.
func WithLoaders(ctx context.Context, c *ent.Client) context.Context {
	l := &loaders{
		client: c,
		orgs: dataloadgen.NewLoader(func(ctx context.Context, ids []gid.ID) ([]*ent.Organisation, []error) {
			rows, err := ent.LookupOrganisations(ctx, c, ids)
			return byID(ids, rows, err, func(o *ent.Organisation) gid.ID { return o.ID })
		}, dataloadgen.WithWait(batchWait)),
		users: dataloadgen.NewLoader(func(ctx context.Context, ids []gid.ID) ([]*ent.User, []error) {
			rows, err := c.User.Query().Where(user.IDIn(ids...)).All(ctx)
			return byID(ids, rows, err, func(u *ent.User) gid.ID { return u.ID })
		}, dataloadgen.WithWait(batchWait)),
		sharing: dataloadgen.NewLoader(func(ctx context.Context, ids []gid.ID) ([]*caseSharing, []error) {
			return loadSharing(ctx, c, ids)
		}, dataloadgen.WithWait(batchWait)),
		owners: dataloadgen.NewLoader(func(ctx context.Context, ids []gid.ID) ([]recordOwner, []error) {
			return loadOwners(ctx, c, ids)
		}, dataloadgen.WithWait(batchWait)),
	}
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	return l
}

// byID orders rows to match ids; a missing row is NOT_FOUND for its key.
func byID[T any](ids []gid.ID, rows []T, err error, key func(T) gid.ID) ([]T, []error) {
	out := make([]T, len(ids))
	errs := make([]error, len(ids))
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		return out, errs
	}
	m := make(map[gid.ID]T, len(rows))
	for _, r := range rows {
		m[key(r)] = r
	}
	for i, id := range ids {
		r, ok := m[id]
		if !ok {
			errs[i] = apperr.NotFound()
			continue
		}
		out[i] = r
	}
	return out, errs
}

// loadSharing reads, for a batch of cases, the consents that could let the
// viewer's organisation read another organisation's detail, and whether the
// organisation is on each team only by break-glass (a whole-team consent
// does not extend to emergency access).
func loadSharing(ctx context.Context, c *ent.Client, ids []gid.ID) ([]*caseSharing, []error) {
	v := viewer.FromContext(ctx)
	errs := make([]error, len(ids))
	out := make([]*caseSharing, len(ids))
	fail := func(err error) ([]*caseSharing, []error) {
		for i := range errs {
			errs[i] = err
		}
		return out, errs
	}
	now := time.Now().UTC()
	cs, err := c.Consent.Query().Where(
		consent.ReturneeIDIn(ids...),
		consent.RevokedAtIsNil(),
		consent.ValidFromLTE(now),
		consent.Or(consent.ValidUntilIsNil(), consent.ValidUntilGT(now)),
		consent.Or(consent.RecipientID(v.OrgID), consent.WholeTeam(true)),
	).All(ctx)
	if err != nil {
		return fail(err)
	}
	ms, err := c.CaseTeamMember.Query().Where(
		caseteammember.ReturneeIDIn(ids...),
		caseteammember.OrganisationID(v.OrgID),
		caseteammember.SinceLTE(now),
		caseteammember.Or(caseteammember.UntilIsNil(), caseteammember.UntilGT(now)),
	).All(ctx)
	if err != nil {
		return fail(err)
	}
	m := make(map[gid.ID]*caseSharing, len(ids))
	for _, id := range ids {
		m[id] = &caseSharing{breakGlass: true}
	}
	for _, mem := range ms {
		if mem.Basis != caseteammember.BasisBREAK_GLASS {
			m[mem.ReturneeID].breakGlass = false
		}
	}
	for _, x := range cs {
		m[x.ReturneeID].consents = append(m[x.ReturneeID].consents, x)
	}
	for i, id := range ids {
		out[i] = m[id]
	}
	return out, errs
}

// loadOwners reads the case and author organisation of sensitive records
// whose columns entgql's column pruning left out (a client asking only for
// summary and detail): the consent rule needs both.
func loadOwners(ctx context.Context, c *ent.Client, ids []gid.ID) ([]recordOwner, []error) {
	byPrefix := map[string][]gid.ID{}
	for _, id := range ids {
		byPrefix[id.Prefix()] = append(byPrefix[id.Prefix()], id)
	}
	found := map[gid.ID]recordOwner{}
	for prefix, batch := range byPrefix {
		var rows []struct {
			ID        gid.ID `json:"id"`
			Returnee  gid.ID `json:"returnee_id"`
			AuthorOrg gid.ID `json:"author_organisation_id"`
		}
		var err error
		cols := []string{"id", "returnee_id", "author_organisation_id"}
		switch prefix {
		case "doc": // documents have no author organisation
			err = c.Document.Query().Where(document.IDIn(batch...)).Select("id", "returnee_id").Scan(ctx, &rows)
		case "leg":
			err = c.LegalRecord.Query().Where(legalrecord.IDIn(batch...)).Select(cols...).Scan(ctx, &rows)
		case "med":
			err = c.MedicalRecord.Query().Where(medicalrecord.IDIn(batch...)).Select(cols...).Scan(ctx, &rows)
		case "the":
			err = c.TheologicalRecord.Query().Where(theologicalrecord.IDIn(batch...)).Select(cols...).Scan(ctx, &rows)
		case "rsk":
			err = c.RiskAssessment.Query().Where(riskassessment.IDIn(batch...)).Select(cols...).Scan(ctx, &rows)
		}
		if err != nil {
			errs := make([]error, len(ids))
			for i := range errs {
				errs[i] = err
			}
			return make([]recordOwner, len(ids)), errs
		}
		for _, r := range rows {
			found[r.ID] = recordOwner{returnee: r.Returnee, authorOrg: r.AuthorOrg}
		}
	}
	out := make([]recordOwner, len(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		o, ok := found[id]
		if !ok {
			errs[i] = apperr.NotFound()
		}
		out[i] = o
	}
	return out, errs
}
