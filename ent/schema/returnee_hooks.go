package schema

import (
	"context"
	"fmt"

	"entgo.io/ent"

	"github.com/rdrr-project/rdrr/internal/names"
)

// nameMutation is the part of the generated ReturneeMutation the hook uses.
type nameMutation interface {
	ent.Mutation
	GivenName() (string, bool)
	FamilyName() (string, bool)
	Patronymic() (string, bool)
	AlternativeSpellings() ([]string, bool)
	OldGivenName(context.Context) (string, error)
	OldFamilyName(context.Context) (string, error)
	OldPatronymic(context.Context) (string, error)
	OldAlternativeSpellings(context.Context) ([]string, error)
	SetNameKey(string)
}

// Hooks keep the name search key in step with every spelling of the name.
func (Returnee) Hooks() []ent.Hook {
	return []ent.Hook{
		func(next ent.Mutator) ent.Mutator {
			return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
				nm, ok := m.(nameMutation)
				if !ok || !(m.Op().Is(ent.OpCreate) || m.Op().Is(ent.OpUpdateOne)) {
					return next.Mutate(ctx, m)
				}
				given, gok := nm.GivenName()
				family, fok := nm.FamilyName()
				patr, pok := nm.Patronymic()
				alts, aok := nm.AlternativeSpellings()
				if m.Op().Is(ent.OpUpdateOne) {
					if !gok && !fok && !pok && !aok && !m.FieldCleared("patronymic") && !m.FieldCleared("alternative_spellings") {
						return next.Mutate(ctx, m)
					}
					var err error
					if !gok {
						if given, err = nm.OldGivenName(ctx); err != nil {
							return nil, fmt.Errorf("reading name: %w", err)
						}
					}
					if !fok {
						if family, err = nm.OldFamilyName(ctx); err != nil {
							return nil, fmt.Errorf("reading name: %w", err)
						}
					}
					if !pok && !m.FieldCleared("patronymic") {
						if patr, err = nm.OldPatronymic(ctx); err != nil {
							return nil, fmt.Errorf("reading name: %w", err)
						}
					}
					if !aok && !m.FieldCleared("alternative_spellings") {
						if alts, err = nm.OldAlternativeSpellings(ctx); err != nil {
							return nil, fmt.Errorf("reading name: %w", err)
						}
					}
				}
				nm.SetNameKey(names.Key(append([]string{given, family, patr}, alts...)...))
				return next.Mutate(ctx, m)
			})
		},
	}
}
