package schema

import (
	"context"
	"fmt"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// idMixin gives an entity a random, prefixed, opaque primary key that doubles
// as its Relay global ID (see internal/gid).
type idMixin struct {
	mixin.Schema
	prefix string
}

func withID(prefix string) idMixin { return idMixin{prefix: prefix} }

func (m idMixin) Fields() []ent.Field {
	p := m.prefix
	return []ent.Field{
		field.String("id").
			GoType(gid.ID("")).
			DefaultFunc(func() gid.ID { return gid.New(p) }).
			MaxLen(40).
			NotEmpty().
			Immutable().
			Comment("Opaque global identifier."),
	}
}

// utcNow is the default clock of every timestamp: all times are stored in
// UTC so that SQLite's text timestamps compare correctly.
func utcNow() time.Time { return time.Now().UTC() }

// serverOwned is the entgql annotation for fields clients may never set.
var serverOwned = entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)

// trackedMixin carries the bookkeeping every mutable entity has: when and by
// whom it was created and last changed, and a version for optimistic
// concurrency. All of it is server-owned.
type trackedMixin struct{ mixin.Schema }

func (trackedMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(utcNow).Immutable().
			Annotations(serverOwned, entgql.OrderField("CREATED_AT")).
			Comment("When the record was created."),
		field.Time("updated_at").Default(utcNow).UpdateDefault(utcNow).
			Annotations(serverOwned, entgql.OrderField("UPDATED_AT")).
			Comment("When the record was last changed."),
		field.String("created_by").GoType(gid.ID("")).Optional().Immutable().
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput)).
			Comment("User who created the record; empty for system actions."),
		field.String("updated_by").GoType(gid.ID("")).Optional().
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput)).
			Comment("User who last changed the record; empty for system actions."),
		field.Int("version").Default(1).Positive().
			Annotations(serverOwned, entgql.Skip(entgql.SkipWhereInput)).
			Comment("Incremented by every change; updates must name the version they saw."),
	}
}

// Hooks stamp the actor and bump the version on every change, so no code
// path (resolver, job, seed) can forget to.
func (trackedMixin) Hooks() []ent.Hook {
	return []ent.Hook{
		func(next ent.Mutator) ent.Mutator {
			return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
				var actor gid.ID
				if v := viewer.FromContext(ctx); v != nil && !v.IsSystem() {
					actor = v.UserID
				}
				switch {
				case m.Op().Is(ent.OpCreate):
					if actor != "" {
						if err := m.SetField("created_by", actor); err != nil {
							return nil, fmt.Errorf("stamping creator: %w", err)
						}
						if err := m.SetField("updated_by", actor); err != nil {
							return nil, fmt.Errorf("stamping creator: %w", err)
						}
					}
				case m.Op().Is(ent.OpUpdate) || m.Op().Is(ent.OpUpdateOne):
					if actor != "" {
						if err := m.SetField("updated_by", actor); err != nil {
							return nil, fmt.Errorf("stamping editor: %w", err)
						}
					}
					if err := m.AddField("version", 1); err != nil {
						return nil, fmt.Errorf("bumping version: %w", err)
					}
				}
				return next.Mutate(ctx, m)
			})
		},
	}
}
