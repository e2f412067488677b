// Command entpatch rewrites entgql's generated field collection
// (ent/gql_collection.go) after entc has written it; `go generate ./ent`
// runs it, so CI's check that generated code is current covers it.
//
// Why: for every paginated edge a query asks totalCount of, entgql runs a
// GROUP BY count after loading the edge's page, one statement per edge (ten
// of the 35 statements of one case in full), even when the page itself
// shows the total: a first page that came back shorter than first+1 rows
// (entgql loads one row more than asked, to know whether there is a next
// page) holds every row there is. The rewrite asks ent.pageTotals
// (ent/gql_pagetotal.go) which nodes' totals the page already gives and
// counts only the others; with none left, the count is not sent.
//
// It also rewrites ent's eager loaders of edges to Organisation
// (ent/*_query.go) to look organisations up through the process's cache
// (orgloaders.go, ent.OrganisationCache), and their sqlAll functions to
// load a query's edges through ent.loadEdges, side by side when cores are
// idle (edgeloads.go).
//
// Every closure of the known shape is rewritten, at least one must be
// found, and none of the old shape may remain: an entgql upgrade that
// changes the generated code fails generation here instead of silently
// losing the rewrite.
package main

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
)

// totalClosure is one edge's total loader as entgql v0.7.0 writes it:
// node type, indentation, the result struct, the count query (with the
// edge's column, whose name gives the edge), and the map it fills.
var totalClosure = regexp.MustCompile(`(?s)` +
	`_q\.loadTotal = append\(_q\.loadTotal, func\(ctx context\.Context, nodes \[\]\*(\w+)\) error \{\n` +
	`(\t+)ids := make\(\[\]driver\.Value, len\(nodes\)\)\n` +
	`\t+for i := range nodes \{\n` +
	`\t+ids\[i\] = nodes\[i\]\.ID\n` +
	`\t+\}\n` +
	`(\t+var v \[\]struct \{\n[^}]*\}\n)` +
	`(\t+query\.Where\(func\(s \*sql\.Selector\) \{\n` +
	`\t+s\.Where\(sql\.InValues\(s\.C\(\w+\.(\w+)Column\), ids\.\.\.\)\)\n` +
	`\t+\}\)\n` +
	`\t+if err := query\.GroupBy\(\w+\.\w+Column\)\.Aggregate\(Count\(\)\)\.Scan\(ctx, &v\); err != nil \{\n` +
	`\t+return err\n` +
	`\t+\}\n)` +
	`(\t+m := make\(map\[gid\.ID\]int, len\(v\)\)\n` +
	`\t+for i := range v \{\n` +
	`\t+m\[v\[i\]\.NodeID\] = v\[i\]\.Count\n` +
	`\t+\}\n)`)

const replacement = `_q.loadTotal = append(_q.loadTotal, func(ctx context.Context, nodes []*${1}) error {
${2}var ids []driver.Value
${2}known, ids := pageTotals(nodes, !ignoredEdges && args.after == nil && args.before == nil && args.last == nil, args.first,
${2}	func(n *${1}) gid.ID { return n.ID },
${2}	func(n *${1}) (int, bool) { e, err := n.Named${5}(alias); return len(e), err == nil })
${3}${2}if len(ids) > 0 {
${4}${2}}
${6}${2}for id, n := range known {
${2}	m[id] = n
${2}}
`

// oldShape is what must not remain after the rewrite.
var oldShape = regexp.MustCompile(`loadTotal = append\(_q\.loadTotal, func\(ctx context\.Context, nodes \[\]\*\w+\) error \{\n\t+ids := make`)

// patch rewrites src, reporting how many closures it rewrote.
func patch(src []byte) ([]byte, int, error) {
	n := len(totalClosure.FindAllIndex(src, -1))
	if n == 0 {
		return nil, 0, fmt.Errorf("no edge total loader of the known shape (did entgql change?)")
	}
	out := totalClosure.ReplaceAll(src, []byte(replacement))
	if oldShape.Match(out) {
		return nil, n, fmt.Errorf("an edge total loader of another shape remains (did entgql change?)")
	}
	out, err := format.Source(out)
	if err != nil {
		return nil, n, fmt.Errorf("formatting the rewritten code: %w", err)
	}
	return out, n, nil
}

func main() {
	path := "ent/gql_collection.go"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "entpatch:", err)
		os.Exit(1)
	}
	out, _, err := patch(src)
	if err != nil {
		fmt.Fprintf(os.Stderr, "entpatch: %s: %v\n", path, err)
		os.Exit(1)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "entpatch:", err)
		os.Exit(1)
	}
	if err := patchOrgLoaderFiles(filepath.Dir(path)); err != nil {
		fmt.Fprintln(os.Stderr, "entpatch:", err)
		os.Exit(1)
	}
	if err := patchEdgeLoadFiles(filepath.Dir(path)); err != nil {
		fmt.Fprintln(os.Stderr, "entpatch:", err)
		os.Exit(1)
	}
}
