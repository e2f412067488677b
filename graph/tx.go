package graph

import (
	"context"
	"fmt"

	"github.com/rdrr-project/rdrr/ent"
)

// inTx runs fn in one database transaction: every mutation is applied
// entirely or not at all. fn receives a context whose ent client is the
// transaction's, so nested helpers that call ent.FromContext join it.
func (r *Resolver) inTx(ctx context.Context, fn func(ctx context.Context, tx *ent.Tx) error) error {
	tx, err := r.Client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("starting transaction: %w", err)
	}
	ctx = ent.NewTxContext(ctx, tx)
	ctx = ent.NewContext(ctx, tx.Client())
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(ctx, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := r.auditWrites(ctx, tx); err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("auditing: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	return nil
}

// inTxValue is inTx for functions that produce a value.
func inTxValue[T any](ctx context.Context, r *Resolver, fn func(ctx context.Context, tx *ent.Tx) (T, error)) (T, error) {
	var out T
	err := r.inTx(ctx, func(ctx context.Context, tx *ent.Tx) error {
		v, err := fn(ctx, tx)
		out = v
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	// An entity returned from a transaction would run its edge queries on
	// the closed transaction; point it back at the client.
	if u, ok := any(out).(interface{ Unwrap() T }); ok {
		out = u.Unwrap()
	}
	return out, nil
}
