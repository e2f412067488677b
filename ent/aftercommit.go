package ent

import "context"

// AfterCommit runs fn once the change m belongs to is visible to other
// readers: when its transaction commits, or at once when m ran outside a
// transaction (call it after the mutation). Caches that a change
// invalidates use it: emptied while the transaction is still open, they
// could be refilled with the old rows by a reader outside it.
func AfterCommit(m Mutation, fn func()) {
	if txm, ok := m.(interface{ Tx() (*Tx, error) }); ok {
		if tx, err := txm.Tx(); err == nil {
			tx.OnCommit(func(next Committer) Committer {
				return CommitFunc(func(ctx context.Context, tx *Tx) error {
					err := next.Commit(ctx, tx)
					if err == nil {
						fn()
					}
					return err
				})
			})
			return
		}
	}
	fn()
}
