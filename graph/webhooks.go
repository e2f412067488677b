package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/webhook"
	"github.com/rdrr-project/rdrr/graph/model"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// createWebhook registers an endpoint for the viewer's organisation after
// the SSRF guard has checked where it points, and returns its secret once.
func (r *Resolver) createWebhook(ctx context.Context, url string) (*model.CreatedWebhook, error) {
	if err := canWrite(ctx, domain.CategoryCore, domain.LevelDetail); err != nil {
		return nil, err
	}
	url = strings.TrimSpace(url)
	if len(url) > 2000 {
		return nil, apperr.Invalid("url", "at most 2000 characters")
	}
	if err := r.WebhookGuard.CheckURL(ctx, url); err != nil {
		return nil, apperr.Invalid("url", "%s", err.Error())
	}
	v, _ := viewerOf(ctx)
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	secret := hex.EncodeToString(b)
	h, err := inTxValue(ctx, r, func(ctx context.Context, tx *ent.Tx) (*ent.Webhook, error) {
		return tx.Webhook.Create().SetOrganisationID(v.OrgID).SetURL(url).SetSecret(secret).Save(viewer.SystemContext(ctx))
	})
	if err != nil {
		return nil, err
	}
	return &model.CreatedWebhook{Webhook: h, Secret: secret}, nil
}

func (r *Resolver) setWebhookActive(ctx context.Context, id gid.ID, active bool) (*ent.Webhook, error) {
	if err := canWrite(ctx, domain.CategoryCore, domain.LevelDetail); err != nil {
		return nil, err
	}
	return inTxValue(ctx, r, func(ctx context.Context, tx *ent.Tx) (*ent.Webhook, error) {
		h, err := tx.Webhook.Get(ctx, id) // the viewer's organisation's own only
		if err != nil {
			return nil, err
		}
		return tx.Webhook.UpdateOne(h).SetActive(active).Save(viewer.SystemContext(ctx))
	})
}

func (r *Resolver) webhooks(ctx context.Context) ([]*ent.Webhook, error) {
	if err := canWrite(ctx, domain.CategoryCore, domain.LevelDetail); err != nil {
		return nil, err
	}
	return r.Client.Webhook.Query().Order(ent.Asc(webhook.FieldCreatedAt)).Limit(MaxPageSize).All(ctx)
}
