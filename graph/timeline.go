package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"entgo.io/contrib/entgql"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/document"
	"github.com/rdrr-project/rdrr/ent/intervention"
	"github.com/rdrr-project/rdrr/ent/legalrecord"
	"github.com/rdrr-project/rdrr/ent/medicalrecord"
	"github.com/rdrr-project/rdrr/ent/phasechange"
	"github.com/rdrr-project/rdrr/ent/referraltransition"
	"github.com/rdrr-project/rdrr/ent/riskassessment"
	"github.com/rdrr-project/rdrr/ent/theologicalrecord"
	"github.com/rdrr-project/rdrr/graph/model"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// item is one timeline entry before rendering; key orders entries of the
// same instant and makes cursors unique.
type item struct {
	at      time.Time
	key     string
	kind    model.TimelineKind
	cat     domain.Category
	summary string
	subject gid.ID
	record  any // a sensitive record, to audit as read
}

func (a item) before(b item) bool { // newest first
	if !a.at.Equal(b.at) {
		return a.at.After(b.at)
	}
	return a.key > b.key
}

// timeline merges the case's events from every source the viewer may read,
// newest first. Each source query is filtered by the privacy rules like any
// other and asks only for what can reach this page.
func (r *Resolver) timeline(ctx context.Context, ret *ent.Returnee, after *entgql.Cursor[gid.ID], first *int) (*model.TimelineConnection, error) {
	n := DefaultPageSize
	if first != nil {
		if err := checkPageSize("first", first); err != nil {
			return nil, err
		}
		n = *first
	}
	v, err := viewerOf(ctx)
	if err != nil {
		return nil, err
	}
	limit := n + 50 // entries sharing the cursor's instant are filtered below
	until := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	var afterKey string
	if after != nil {
		ns, ok := after.Value.(int64)
		if !ok {
			if f, isF := after.Value.(float64); isF {
				ns, ok = int64(f), true
			}
		}
		if !ok {
			return nil, fmtInvalid("after", "not a timeline cursor")
		}
		until, afterKey = time.Unix(0, ns).UTC(), string(after.ID)
	}
	var items []item
	add := func(it item) {
		if after != nil && !(it.at.Before(until) || (it.at.Equal(until) && it.key < afterKey)) {
			return
		}
		items = append(items, it)
	}
	c := r.Client
	can := func(cat domain.Category) bool { return v.CanRead(cat, domain.LevelSummary) }
	if can(domain.CategoryCore) {
		// Two independent reads: together, on PostgreSQL one round trip.
		var pcs []*ent.PhaseChange
		var ts []*ent.ReferralTransition
		err := c.Together(ctx, func(ctx context.Context) (err error) {
			pcs, err = c.PhaseChange.Query().Where(phasechange.ReturneeID(ret.ID), phasechange.AtLTE(until)).
				Order(ent.Desc(phasechange.FieldAt)).Limit(limit).All(ctx)
			return err
		}, func(ctx context.Context) (err error) {
			ts, err = c.ReferralTransition.Query().Where(referraltransition.ReturneeID(ret.ID), referraltransition.AtLTE(until)).
				Order(ent.Desc(referraltransition.FieldAt)).Limit(limit).WithReferral().All(ctx)
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, p := range pcs {
			s := "Phase " + p.FromPhase + " → " + p.ToPhase
			if p.Reason != "" {
				s += ": " + p.Reason
			}
			add(item{p.At, string(p.ID), model.TimelineKindPhaseChanged, domain.CategoryCore, s, p.ID, nil})
		}
		for _, t := range ts {
			s := "Referral " + strings.ToLower(t.ToStatus)
			if ref := t.Edges.Referral; ref != nil {
				s = fmt.Sprintf("Referral for %s %s", ref.Service, strings.ToLower(t.ToStatus))
			}
			add(item{t.At, string(t.ID), model.TimelineKindReferral, domain.CategoryCore, s, t.ReferralID, nil})
		}
	}
	// Rows the case's own connections loaded in full stand in for the
	// source queries (timeline_reuse.go); add applies the cursor to them.
	loaded := siblingRows(ctx, c, ret)
	if can(domain.CategoryLegal) {
		docs, err := loadedOr(ctx, loaded.documents, c.Document.Query().Where(document.ReturneeID(ret.ID), document.IssuedOnNotNil(), document.IssuedOnLTE(until)).
			Order(ent.Desc(document.FieldIssuedOn)).Limit(limit).All)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			if d.IssuedOn != nil {
				add(item{*d.IssuedOn, string(d.ID), model.TimelineKindDocumentIssued, domain.CategoryLegal, string(d.Type) + " issued", d.ID, d})
			}
		}
	}
	if can(domain.CategorySocial) {
		ivs, err := loadedOr(ctx, loaded.interventions, c.Intervention.Query().Where(intervention.ReturneeID(ret.ID),
			intervention.Or(intervention.StartedOnLTE(until), intervention.EndedOnLTE(until))).
			Order(ent.Desc(intervention.FieldStartedOn)).Limit(2*limit).All)
		if err != nil {
			return nil, err
		}
		for _, iv := range ivs {
			if iv.StartedOn != nil {
				add(item{*iv.StartedOn, string(iv.ID) + "/1", model.TimelineKindInterventionStarted, domain.CategorySocial, string(iv.Type) + " started", iv.ID, nil})
			}
			if iv.EndedOn != nil {
				add(item{*iv.EndedOn, string(iv.ID) + "/2", model.TimelineKindInterventionEnded, domain.CategorySocial, fmt.Sprintf("%s ended (%s)", iv.Type, iv.Status), iv.ID, nil})
			}
		}
	}
	if err := r.recordItems(ctx, ret.ID, until, limit, loaded, can, add); err != nil {
		return nil, err
	}
	sort.Slice(items, func(i, j int) bool { return items[i].before(items[j]) })
	conn := &model.TimelineConnection{Edges: []*model.TimelineEdge{}, PageInfo: &entgql.PageInfo[gid.ID]{}}
	for i, it := range items {
		if i == n {
			conn.PageInfo.HasNextPage = true
			break
		}
		cur := entgql.Cursor[gid.ID]{ID: gid.ID(it.key), Value: it.at.UnixNano()}
		conn.Edges = append(conn.Edges, &model.TimelineEdge{
			Node:   &model.TimelineItem{At: it.at, Kind: it.kind, Category: it.cat, Summary: it.summary, SubjectID: it.subject},
			Cursor: cur,
		})
		if it.record != nil {
			noteRead(ctx, it.record)
		}
	}
	if len(conn.Edges) > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[len(conn.Edges)-1].Cursor
	}
	conn.PageInfo.HasPreviousPage = after != nil
	return conn, nil
}

// recordItems adds "record written" entries of the sensitive categories
// the viewer may read.
func (r *Resolver) recordItems(ctx context.Context, rid gid.ID, until time.Time, limit int, loaded loadedRows, can func(domain.Category) bool, add func(item)) error {
	c := r.Client
	written := func(kind string, cat domain.Category, at time.Time, id gid.ID, obj any) item {
		return item{at, string(id), model.TimelineKindRecordCreated, cat, kind + " record written", id, obj}
	}
	if can(domain.CategoryLegal) {
		rs, err := loadedOr(ctx, loaded.legal, c.LegalRecord.Query().Where(legalrecord.ReturneeID(rid), legalrecord.CreatedAtLTE(until)).
			Order(ent.Desc(legalrecord.FieldCreatedAt)).Limit(limit).All)
		if err != nil {
			return err
		}
		for _, x := range rs {
			add(written("Legal ("+string(x.Kind)+")", domain.CategoryLegal, x.CreatedAt, x.ID, x))
		}
	}
	if can(domain.CategoryMedical) {
		rs, err := loadedOr(ctx, loaded.medical, c.MedicalRecord.Query().Where(medicalrecord.ReturneeID(rid), medicalrecord.CreatedAtLTE(until)).
			Order(ent.Desc(medicalrecord.FieldCreatedAt)).Limit(limit).All)
		if err != nil {
			return err
		}
		for _, x := range rs {
			add(written("Medical ("+string(x.Kind)+")", domain.CategoryMedical, x.CreatedAt, x.ID, x))
		}
	}
	if can(domain.CategoryTheological) {
		rs, err := loadedOr(ctx, loaded.theological, c.TheologicalRecord.Query().Where(theologicalrecord.ReturneeID(rid), theologicalrecord.CreatedAtLTE(until)).
			Order(ent.Desc(theologicalrecord.FieldCreatedAt)).Limit(limit).All)
		if err != nil {
			return err
		}
		for _, x := range rs {
			add(written("Theological", domain.CategoryTheological, x.CreatedAt, x.ID, x))
		}
	}
	if can(domain.CategoryRisk) {
		rs, err := loadedOr(ctx, loaded.risk, c.RiskAssessment.Query().Where(riskassessment.ReturneeID(rid), riskassessment.CreatedAtLTE(until)).
			Order(ent.Desc(riskassessment.FieldCreatedAt)).Limit(limit).All)
		if err != nil {
			return err
		}
		for _, x := range rs {
			add(written("Risk assessment ("+string(x.Level)+")", domain.CategoryRisk, x.CreatedAt, x.ID, x))
		}
	}
	return nil
}
