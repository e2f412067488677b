package graph

import (
	"context"
	"strings"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// phases in process order.
var phases = []returnee.Phase{
	returnee.PhaseREPATRIATION, returnee.PhaseDISENGAGEMENT, returnee.PhaseREHABILITATION,
	returnee.PhaseREINTEGRATION, returnee.PhaseCLOSED,
}

func phaseIndex(p returnee.Phase) int {
	for i, x := range phases {
		if x == p {
			return i
		}
	}
	return -1
}

// changePhase moves a case one phase on, or one phase back with a reason,
// and records the change.
func (r *Resolver) changePhase(ctx context.Context, id gid.ID, version int, to returnee.Phase, reason *string) (*ent.Returnee, error) {
	if err := canWrite(ctx, domain.CategoryCore, domain.LevelDetail); err != nil {
		return nil, err
	}
	why := ""
	if reason != nil {
		why = strings.TrimSpace(*reason)
	}
	if len(why) > 2000 {
		return nil, apperr.Invalid("reason", "at most 2000 characters")
	}
	if err := cleanText("reason", why); err != nil {
		return nil, err
	}
	v, _ := viewerOf(ctx)
	return inTxValue(ctx, r, func(ctx context.Context, tx *ent.Tx) (*ent.Returnee, error) {
		cur, err := tx.Returnee.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := checkVersion(cur.Version, version); err != nil {
			return nil, err
		}
		from, dest := phaseIndex(cur.Phase), phaseIndex(to)
		switch {
		case dest == from:
			return nil, apperr.Invalid("to", "the case is already in %s", to)
		case dest == from+1:
		case dest == from-1:
			if why == "" {
				return nil, apperr.Invalid("reason", "moving back from %s to %s needs a reason", cur.Phase, to)
			}
		default:
			return nil, apperr.Invalid("to", "moving from %s to %s skips a phase; move one phase at a time", cur.Phase, to)
		}
		out, err := versioned(tx.Returnee.UpdateOneID(id).Where(returnee.Version(version)).SetPhase(to).Save(ctx))
		if err != nil {
			return nil, err
		}
		if err := tx.PhaseChange.Create().SetReturneeID(id).SetFromPhase(string(cur.Phase)).SetToPhase(string(to)).
			SetReason(why).SetActorID(v.UserID).SetActorOrganisationID(v.OrgID).
			Exec(viewer.SystemContext(ctx)); err != nil {
			return nil, err
		}
		r.announceCase(tx, id, "PHASE_CHANGED")
		return out, nil
	})
}
