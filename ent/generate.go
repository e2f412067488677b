// Package ent holds the generated data layer. Regenerate everything (ent,
// entgql helpers and gqlgen) with `go generate ./ent` from the repository
// root; CI fails when the committed output is stale.
package ent

//go:generate go run -mod=mod ./entc.go
//go:generate sh -c "cd .. && go run -mod=mod github.com/99designs/gqlgen"
