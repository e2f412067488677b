package graph

import (
	"github.com/rdrr-project/rdrr/internal/apperr"
)

// Page sizes of every connection.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// pageArgs validates first and last and applies the default page size when
// both are absent, so no connection ever returns an unbounded list. The same
// rules run before execution (limits.go) for nested connections that entgql
// loads eagerly.
func pageArgs(first, last *int) (*int, *int, error) {
	if err := checkPageSize("first", first); err != nil {
		return nil, nil, err
	}
	if err := checkPageSize("last", last); err != nil {
		return nil, nil, err
	}
	if first != nil && last != nil {
		return nil, nil, apperr.Invalid("last", "give first or last, not both")
	}
	if first == nil && last == nil {
		n := DefaultPageSize
		first = &n
	}
	return first, last, nil
}

func checkPageSize(name string, v *int) error {
	if v == nil {
		return nil
	}
	if *v < 0 {
		return apperr.Invalid(name, "%s must not be negative", name)
	}
	if *v > MaxPageSize {
		return apperr.Invalid(name, "%s must be at most %d, got %d", name, MaxPageSize, *v).With("max", MaxPageSize)
	}
	return nil
}
