//go:build !unix

package store

import "sync/atomic"

// sharedGeneration: without a shared mapping, no read snapshots; every
// statement reads afresh.
func sharedGeneration(string) (*atomic.Uint64, func(), error) { return nil, nil, nil }
