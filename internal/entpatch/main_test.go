package main

import (
	"strings"
	"testing"
)

// oneLoader is an edge total loader exactly as entgql v0.7.0 generates it
// (copied from ent/gql_collection.go before the rewrite), inside a minimal
// file so that the rewritten code can be formatted.
const oneLoader = "package ent\n\nfunc f() {\n\tif true {\n\t\tif true {\n\t\t\tif true {\n\t\t\t\tif true {\n\t\t\t\t\t" + "_q.loadTotal = append(_q.loadTotal, func(ctx context.Context, nodes []*Returnee) error {\n\t\t\t\t\t\tids := make([]driver.Value, len(nodes))\n\t\t\t\t\t\tfor i := range nodes {\n\t\t\t\t\t\t\tids[i] = nodes[i].ID\n\t\t\t\t\t\t}\n\t\t\t\t\t\tvar v []struct {\n\t\t\t\t\t\t\tNodeID gid.ID `sql:\"returnee_id\"`\n\t\t\t\t\t\t\tCount  int    `sql:\"count\"`\n\t\t\t\t\t\t}\n\t\t\t\t\t\tquery.Where(func(s *sql.Selector) {\n\t\t\t\t\t\t\ts.Where(sql.InValues(s.C(returnee.CaseTeamColumn), ids...))\n\t\t\t\t\t\t})\n\t\t\t\t\t\tif err := query.GroupBy(returnee.CaseTeamColumn).Aggregate(Count()).Scan(ctx, &v); err != nil {\n\t\t\t\t\t\t\treturn err\n\t\t\t\t\t\t}\n\t\t\t\t\t\tm := make(map[gid.ID]int, len(v))\n\t\t\t\t\t\tfor i := range v {\n\t\t\t\t\t\t\tm[v[i].NodeID] = v[i].Count\n\t\t\t\t\t\t}\n\t\t\t\t\t\tfor i := range nodes {\n\t\t\t\t\t\t\tn := m[nodes[i].ID]\n\t\t\t\t\t\t\tif nodes[i].Edges.totalCount[2] == nil {\n\t\t\t\t\t\t\t\tnodes[i].Edges.totalCount[2] = make(map[string]int)\n\t\t\t\t\t\t\t}\n\t\t\t\t\t\t\tnodes[i].Edges.totalCount[2][alias] = n\n\t\t\t\t\t\t}\n\t\t\t\t\t\treturn nil\n\t\t\t\t\t})" + "\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n}\n"

func TestPatchRewritesTheKnownShape(t *testing.T) {
	out, n, err := patch([]byte(oneLoader))
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d loaders rewritten, want 1", n)
	}
	for _, want := range []string{
		"known, ids := pageTotals(nodes, !ignoredEdges && args.after == nil && args.before == nil && args.last == nil, args.first,",
		"e, err := n.NamedCaseTeam(alias); return len(e), err == nil",
		"if len(ids) > 0 {",
		"m[id] = n",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("rewritten code lacks %q:\n%s", want, out)
		}
	}
}

func TestPatchRefusesOtherShapes(t *testing.T) {
	for name, src := range map[string]string{
		"no loader":            "package ent\n",
		"changed count query":  strings.Replace(oneLoader, "Aggregate(Count())", "Aggregate(Count(), Sum(\"x\"))", 1),
		"changed ids building": strings.Replace(oneLoader, "ids[i] = nodes[i].ID", "ids[i] = nodes[i].ID // moved", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := patch([]byte(src)); err == nil {
				t.Error("patched an unknown shape without an error")
			}
		})
	}
}

// oneOrgLoader is an eager loader of an edge to Organisation as ent
// v0.14.5 generates it (copied from ent/caseteammember_query.go).
const oneOrgLoader = "package ent\n\nfunc (_q *CaseTeamMemberQuery) loadOrganisation(ctx context.Context, query *OrganisationQuery, nodes []*CaseTeamMember, init func(*CaseTeamMember), assign func(*CaseTeamMember, *Organisation)) error {\n\tids := make([]gid.ID, 0, len(nodes))\n\tnodeids := make(map[gid.ID][]*CaseTeamMember)\n\tfor i := range nodes {\n\t\tfk := nodes[i].OrganisationID\n\t\tif _, ok := nodeids[fk]; !ok {\n\t\t\tids = append(ids, fk)\n\t\t}\n\t\tnodeids[fk] = append(nodeids[fk], nodes[i])\n\t}\n\tif len(ids) == 0 {\n\t\treturn nil\n\t}\n\tquery.Where(organisation.IDIn(ids...))\n\tneighbors, err := query.All(ctx)\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}\n"

func TestPatchOrgLoadersRewritesTheKnownShape(t *testing.T) {
	out, n, err := patchOrgLoaders([]byte(oneOrgLoader))
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d loaders rewritten, want 1", n)
	}
	if want := "neighbors, err := organisationsByID(ctx, query, ids)"; !strings.Contains(string(out), want) {
		t.Errorf("rewritten code lacks %q:\n%s", want, out)
	}
	if strings.Contains(string(out), "query.All(ctx)") {
		t.Errorf("the loader still runs its query itself:\n%s", out)
	}
}

// oneOperationLoader is the loader of a case's repatriation operation.
var oneOperationLoader = strings.NewReplacer("OrganisationQuery", "RepatriationOperationQuery", "*Organisation)", "*RepatriationOperation)",
	"organisation.IDIn", "repatriationoperation.IDIn", "loadOrganisation", "loadOperation").Replace(oneOrgLoader)

func TestPatchOrgLoadersRewritesOperationLoaders(t *testing.T) {
	out, n, err := patchOrgLoaders([]byte(oneOperationLoader))
	if err != nil {
		t.Fatal(err)
	}
	if want := "neighbors, err := operationsByID(ctx, query, ids)"; n != 1 || !strings.Contains(string(out), want) {
		t.Errorf("%d loaders rewritten, want 1 with %q:\n%s", n, want, out)
	}
}

func TestPatchOrgLoadersRefusesOtherShapes(t *testing.T) {
	for name, src := range map[string]string{
		"changed lookup":    strings.Replace(oneOrgLoader, "query.Where(organisation.IDIn(ids...))", "query.Where(organisation.IDIn(ids...), organisation.Slug(\"x\"))", 1),
		"changed early end": strings.Replace(oneOrgLoader, "if len(ids) == 0 {", "if len(ids) < 1 {", 1),
		"changed operation lookup": strings.Replace(oneOperationLoader, "query.Where(repatriationoperation.IDIn(ids...))",
			"query.Where(repatriationoperation.IDIn(ids...), repatriationoperation.Country(\"KZ\"))", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := patchOrgLoaders([]byte(src)); err == nil {
				t.Error("patched an unknown shape without an error")
			}
		})
	}
}
