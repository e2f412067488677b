package graph

import (
	"context"
	"errors"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// Within one operation a field's arguments are worked out once, whatever
// the number of its instances; a failure is not remembered; another field,
// or another operation, computes its own.
func TestFieldArgsOncePerFieldAndOperation(t *testing.T) {
	ctx := withFieldArgsCache(context.Background())
	a, b := &ast.Field{Name: "interventions"}, &ast.Field{Name: "documents"}
	calls := 0
	compute := func() (map[string]any, error) { calls++; return map[string]any{"n": calls}, nil }
	for i := 0; i < 50; i++ {
		args, err := fieldArgs(ctx, a, compute)
		if err != nil || args["n"] != 1 {
			t.Fatalf("instance %d: %v, %v; want the first computation's arguments", i, args, err)
		}
	}
	if args, _ := fieldArgs(ctx, b, compute); args["n"] != 2 {
		t.Errorf("another field got %v, want its own arguments", args)
	}
	if args, _ := fieldArgs(withFieldArgsCache(context.Background()), a, compute); args["n"] != 3 {
		t.Errorf("another operation got %v, want its own arguments", args)
	}

	bad := &ast.Field{Name: "legalRecords"}
	fails := 0
	failing := func() (map[string]any, error) { fails++; return nil, errors.New("bad where") }
	for i := 0; i < 3; i++ {
		if _, err := fieldArgs(ctx, bad, failing); err == nil {
			t.Fatal("a failing computation returned no error")
		}
	}
	if fails != 3 {
		t.Errorf("a failing computation ran %d times for 3 instances, want 3 (each reports its error)", fails)
	}
	if _, err := fieldArgs(context.Background(), a, compute); err != nil || calls != 4 {
		t.Errorf("without a cache: %d computations, want every call computed", calls)
	}
}
