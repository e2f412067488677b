//go:build ignore

// entc.go generates the ent client (ent/) and the entgql helpers from the
// hand-written schema in ent/schema. The GraphQL schema itself is written by
// hand in graph/schema, so that every type, field and argument carries a
// description and no filter reaches a sensitive column or edge.
package main

import (
	"log"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithWhereInputs(true),
		entgql.WithConfigPath("./gqlgen.yml"),
	)
	if err != nil {
		log.Fatalf("creating entgql extension: %v", err)
	}
	opts := []entc.Option{
		entc.Extensions(ex),
		entc.FeatureNames(
			"privacy",
			"entql",
			"intercept",
			"namedges",
			"sql/modifier",
			"sql/lock",
			"sql/execquery",
			"sql/upsert",
			"sql/versioned-migration",
		),
	}
	// Paths are relative to the repository root (see generate.go).
	cfg := &gen.Config{Target: "./ent", Package: "github.com/rdrr-project/rdrr/ent"}
	if err := entc.Generate("./ent/schema", cfg, opts...); err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}
