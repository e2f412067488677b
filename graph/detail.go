package graph

import (
	"context"
	"fmt"

	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// detailAccess decides whether the viewer may read the detail of a record of
// category c on case returneeID written by organisation authorOrg:
//   - their roles must allow c at detail level (Casbin), and
//   - for consent-gated categories (medical, theological), the record must
//     be their own organisation's, or an active consent must name c and
//     their organisation, or c and the whole team (not break-glass access).
//
// Legal and risk detail are shared on a legal basis, by role, without consent.
// A denial is FORBIDDEN: the field becomes null, the rest of the answer stays.
func detailAccess(ctx context.Context, c domain.Category, recordID, returneeID, authorOrg gid.ID) error {
	if err := canReadDetail(ctx, c); err != nil {
		return err
	}
	if !c.ConsentGated() {
		return nil
	}
	v, err := viewerOf(ctx)
	if err != nil {
		return err
	}
	if authorOrg == v.OrgID {
		return nil
	}
	l := loadersFrom(ctx)
	if l == nil {
		return fmt.Errorf("no loaders in context")
	}
	if returneeID == "" || authorOrg == "" { // pruned by column selection
		o, err := l.owners.Load(ctx, recordID)
		if err != nil {
			return fmt.Errorf("loading record owner: %w", err)
		}
		returneeID, authorOrg = o.returnee, o.authorOrg
	}
	if authorOrg == v.OrgID {
		return nil
	}
	s, err := l.sharing.Load(ctx, returneeID)
	if err != nil {
		return fmt.Errorf("loading consents: %w", err)
	}
	for _, cn := range s.consents {
		if !covers(cn.Categories, c) {
			continue
		}
		if cn.RecipientID != nil && *cn.RecipientID == v.OrgID {
			return nil
		}
		if cn.WholeTeam && !s.breakGlass {
			return nil
		}
	}
	return apperr.Forbidden("no active consent lets your organisation read this " + lower(c) + " detail")
}

func covers(cats []domain.Category, c domain.Category) bool {
	for _, x := range cats {
		if x == c {
			return true
		}
	}
	return false
}

func lower(c domain.Category) string {
	b := []byte(string(c))
	for i, ch := range b {
		if ch >= 'A' && ch <= 'Z' {
			b[i] = ch + 32
		}
	}
	return string(b)
}

// canReadDetail checks the role may read detail of c and that the client
// declared why (X-Purpose-Of-Use): every detail read is audited with it.
func canReadDetail(ctx context.Context, c domain.Category) error {
	if err := canRead(ctx, c, domain.LevelDetail); err != nil {
		return err
	}
	if audit.PurposeFrom(ctx) == "" {
		return apperr.Invalid("X-Purpose-Of-Use", "reading %s detail needs the X-Purpose-Of-Use header (why you need it; it is recorded in the audit trail)", lower(c))
	}
	return nil
}
