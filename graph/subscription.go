package graph

import (
	"context"
	"encoding/json"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/graph/model"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/bus"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// TopicPolicy is the bus topic of policy changes; subscriptions re-check
// their viewer's rights on it.
const TopicPolicy = "policy"

// watch runs a subscription: it delivers what accept makes of each message
// on topic, with the viewer's rights re-read on every policy change; it
// ends when the client goes, when the viewer may no longer read core data,
// or when accept says so.
func watch[T any](ctx context.Context, r *Resolver, topic string, accept func(ctx context.Context, v *viewer.Viewer, m bus.Message) (T, bool, bool)) (<-chan T, error) {
	if r.Bus == nil {
		return nil, apperr.Invalid("", "live updates are not available on this server")
	}
	v, err := viewerOf(ctx)
	if err != nil {
		return nil, err
	}
	msgs, stopMsgs := r.Bus.Subscribe(topic)
	pol, stopPol := r.Bus.Subscribe(TopicPolicy)
	out := make(chan T, 16)
	go func() {
		defer close(out)
		defer stopMsgs()
		defer stopPol()
		for {
			select {
			case <-ctx.Done():
				return
			case <-pol:
				d, err := r.Authz.Decide(v.UserID, v.OrgSlug)
				if err != nil {
					return
				}
				nv := *v
				nv.Perms, nv.Roles = d.Perms, d.Roles
				v = &nv
				if !v.CanRead(domain.CategoryCore, domain.LevelSummary) {
					return // the policy no longer lets this viewer see cases
				}
			case m := <-msgs:
				vctx := viewer.NewContext(ctx, v)
				x, send, more := accept(vctx, v, m)
				if send {
					select {
					case out <- x:
					case <-ctx.Done():
						return
					}
				}
				if !more {
					return
				}
			}
		}
	}()
	return out, nil
}

// referralEvents delivers transitions of referrals the viewer's
// organisation sent or received, as the viewer may see them now.
func (r *Resolver) referralEvents(ctx context.Context) (<-chan *model.ReferralEvent, error) {
	if err := canRead(ctx, domain.CategoryCore, domain.LevelSummary); err != nil {
		return nil, err
	}
	return watch(ctx, r, TopicReferral, func(ctx context.Context, v *viewer.Viewer, m bus.Message) (*model.ReferralEvent, bool, bool) {
		var msg referralMsg
		if json.Unmarshal(m.Payload, &msg) != nil || (msg.From != v.OrgID && msg.To != v.OrgID) {
			return nil, false, true
		}
		ref, err := r.Client.Referral.Get(ctx, msg.Referral)
		if err != nil {
			return nil, false, true
		}
		t, err := r.Client.ReferralTransition.Get(ctx, msg.Transition)
		if err != nil {
			return nil, false, true
		}
		return &model.ReferralEvent{Referral: ref, Transition: t}, true, true
	})
}

// caseUpdated delivers changes to one case while the viewer can see it.
func (r *Resolver) caseUpdated(ctx context.Context, id gid.ID) (<-chan *model.CaseUpdate, error) {
	if err := canRead(ctx, domain.CategoryCore, domain.LevelSummary); err != nil {
		return nil, err
	}
	if err := caseVisible(ctx, r.Client, id); err != nil {
		return nil, err
	}
	return watch(ctx, r, TopicCase, func(ctx context.Context, v *viewer.Viewer, m bus.Message) (*model.CaseUpdate, bool, bool) {
		var msg caseMsg
		if json.Unmarshal(m.Payload, &msg) != nil || msg.Returnee != id {
			return nil, false, true
		}
		// The team may have changed: no event once the case is out of sight.
		if caseVisible(ctx, r.Client, id) != nil {
			return nil, false, false
		}
		return &model.CaseUpdate{ReturneeID: id, Kind: msg.Kind, At: msg.At}, true, true
	})
}
