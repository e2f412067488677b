package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/rdrr-project/rdrr/authz/rules"
	"github.com/rdrr-project/rdrr/ent/privacy"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Webhook is an organisation's HTTPS endpoint for referral events. Every
// delivery is signed with HMAC-SHA256 under the webhook's secret.
type Webhook struct{ ent.Schema }

func (Webhook) Mixin() []ent.Mixin { return []ent.Mixin{withID("whk"), trackedMixin{}} }

func (Webhook) Fields() []ent.Field {
	return []ent.Field{
		field.String("organisation_id").GoType(gid.ID("")).Immutable().Comment("Owner."),
		field.String("url").NotEmpty().MaxLen(2000).Comment("HTTPS endpoint."),
		field.String("secret").Sensitive().NotEmpty().Immutable().Comment("HMAC key; shown once at creation."),
		field.Bool("active").Default(true).Comment("Inactive webhooks get no deliveries."),
	}
}

func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{edge.To("deliveries", WebhookDelivery.Type).Annotations(entgql.RelayConnection())}
}

func (Webhook) Indexes() []ent.Index { return []ent.Index{index.Fields("organisation_id")} }

// An organisation's webhooks are its own: others never see them.
func (Webhook) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(), rules.FilterOwnOrganisation("organisation_id"), privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{rules.DenyIfNoViewer(), rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

func (Webhook) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// WebhookDelivery is one event to deliver to one webhook, and the log of
// attempting it: written in the transaction of the event (an outbox), sent
// by the dispatcher with retries and backoff.
type WebhookDelivery struct{ ent.Schema }

func (WebhookDelivery) Mixin() []ent.Mixin { return []ent.Mixin{withID("whd")} }

func (WebhookDelivery) Fields() []ent.Field {
	return []ent.Field{
		field.String("webhook_id").GoType(gid.ID("")).Immutable().Comment("The webhook."),
		field.String("organisation_id").GoType(gid.ID("")).Immutable().Comment("Its owner."),
		field.String("event").Immutable().Comment("Event name, e.g. referral.sent."),
		field.Text("payload").Immutable().Comment("JSON body sent."),
		field.Enum("status").Values("PENDING", "DELIVERED", "FAILED").Default("PENDING").Comment("Delivery state."),
		field.Int("attempts").Default(0).Comment("Attempts so far."),
		field.Time("next_attempt_at").Default(utcNow).Comment("When to try next."),
		field.Int("last_status_code").Optional().Comment("HTTP status of the last attempt."),
		field.String("last_error").Default("").MaxLen(500).Comment("Error of the last attempt."),
		field.Time("created_at").Default(utcNow).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")).Comment("When the event happened."),
		field.Time("delivered_at").Optional().Nillable().Comment("When it was delivered."),
	}
}

func (WebhookDelivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("webhook", Webhook.Type).Ref("deliveries").Field("webhook_id").Unique().Required().Immutable(),
	}
}

func (WebhookDelivery) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "next_attempt_at")}
}

func (WebhookDelivery) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rules.DenyIfNoViewer(), rules.AllowIfSystem(), rules.FilterOwnOrganisation("organisation_id"), privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{rules.DenyIfNoViewer(), rules.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

func (WebhookDelivery) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
