package authz

import (
	"context"
	"time"
)

// Watch keeps this process's policy current until ctx ends. It reloads when
// wake fires (a bus message that another process changed the policy) and,
// as a safety net for lost messages, whenever the stored revision differs
// from the one in force, checked every interval.
func (a *Authorizer) Watch(ctx context.Context, interval time.Duration, wake <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
			if err := a.Reload(ctx); err != nil && ctx.Err() == nil {
				a.log.Error("reloading policy", "err", err)
			}
		case <-t.C:
			rev, err := readRevision(ctx, a.client)
			if err != nil {
				if ctx.Err() == nil {
					a.log.Warn("checking policy revision", "err", err)
				}
				continue
			}
			if rev != a.Revision() {
				if err := a.Reload(ctx); err != nil && ctx.Err() == nil {
					a.log.Error("reloading policy", "err", err)
				}
			}
		}
	}
}
