// Package ent holds the generated data layer. Regenerate everything (ent,
// the entgql helpers and gqlgen's executor) with `go generate ./ent`; CI
// fails when the committed output is stale. The order matters: tidy the
// module, generate ent from ent/schema, then gqlgen from graph/schema, then
// patch entgql's edge totals (internal/entpatch) and gqlgen's executor
// (internal/gqlpatch) where they waste time.
package ent

//go:generate sh -c "cd .. && go mod tidy && go run -mod=mod ./ent/entc.go && go run -mod=mod github.com/99designs/gqlgen && go run ./internal/entpatch ent/gql_collection.go && go run ./internal/gqlpatch graph/generated.go"
