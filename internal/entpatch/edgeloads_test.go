package main

import (
	"strings"
	"testing"
)

// oneSQLAll is a sqlAll with an unnamed and a named edge load as ent
// v0.14.5 generates it (shortened from ent/household_query.go).
const oneSQLAll = "package ent\n\nfunc (_q *HouseholdQuery) sqlAll(ctx context.Context, hooks ...queryHook) ([]*Household, error) {\n" +
	"\tvar nodes = []*Household{}\n" +
	"\tif err := sqlgraph.QueryNodes(ctx, _q.driver, _spec); err != nil {\n\t\treturn nil, err\n\t}\n" +
	"\tif len(nodes) == 0 {\n\t\treturn nodes, nil\n\t}\n" +
	"\tif query := _q.withMembers; query != nil {\n\t\tif err := _q.loadMembers(ctx, query, nodes,\n" +
	"\t\t\tfunc(n *Household) { n.Edges.Members = []*HouseholdMember{} },\n" +
	"\t\t\tfunc(n *Household, e *HouseholdMember) { n.Edges.Members = append(n.Edges.Members, e) }); err != nil {\n" +
	"\t\t\treturn nil, err\n\t\t}\n\t}\n" +
	"\tfor name, query := range _q.withNamedAssessments {\n\t\tif err := _q.loadAssessments(ctx, query, nodes,\n" +
	"\t\t\tfunc(n *Household) { n.appendNamedAssessments(name) },\n" +
	"\t\t\tfunc(n *Household, e *FamilyAssessment) { n.appendNamedAssessments(name, e) }); err != nil {\n" +
	"\t\t\treturn nil, err\n\t\t}\n\t}\n" +
	"\tfor i := range _q.loadTotal {\n\t\tif err := _q.loadTotal[i](ctx, nodes); err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t}\n" +
	"\treturn nodes, nil\n}\n"

func TestPatchEdgeLoadsRewritesTheKnownShape(t *testing.T) {
	out, n, err := patchEdgeLoads([]byte(oneSQLAll))
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d sqlAll rewritten, want 1", n)
	}
	got := string(out)
	for _, want := range []string{
		"loads = append(loads, func(ctx context.Context) error {",
		"if len(_q.withNamedAssessments) > 0 {",
		"for name, query := range _q.withNamedAssessments {",
		"if err := loadEdges(ctx, _q.config, loads); err != nil {",
		"for i := range _q.loadTotal {",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rewritten code lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "loads = append(") != 2 {
		t.Errorf("want two loads in the list:\n%s", got)
	}
}

func TestPatchEdgeLoadsRefusesOtherShapes(t *testing.T) {
	for name, src := range map[string]string{
		"a statement between the loads": strings.Replace(oneSQLAll, "\tfor name, query := range _q.withNamedAssessments {", "\tcount++\n\tfor name, query := range _q.withNamedAssessments {", 1),
		"no early return":               strings.Replace(oneSQLAll, "if len(nodes) == 0 {", "if nodes == nil {", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := patchEdgeLoads([]byte(src)); err == nil {
				t.Error("patched an unknown shape without an error")
			}
		})
	}
}
