package main

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// ent's sqlAll loads a query's edges one after another, each in a block of
// its own after the nodes are scanned:
//
//	if query := _q.withDocuments; query != nil {
//		if err := _q.loadDocuments(ctx, query, nodes, ...); err != nil {
//			return nil, err
//		}
//	}
//	for name, query := range _q.withNamedDocuments { ... }
//
// The rewrite turns each block into a function appended to a list, and
// hands the list to ent.loadEdges (ent/gql_loadedges.go), which runs the
// loads side by side when cores are idle.

// sqlAllHead starts a query builder's sqlAll.
var sqlAllHead = regexp.MustCompile(`(?m)^func \(_q \*\w+Query\) sqlAll\(ctx context\.Context, hooks \.\.\.queryHook\) \(\[\]\*\w+, error\) \{\n`)

// loadBlock is one edge's load in sqlAll, unnamed or named.
var loadBlock = regexp.MustCompile(`(?ms)^\t(?:if query := _q\.(with\w+); query != nil|for name, query := range _q\.(withNamed\w+)) \{\n(.*?)^\t\}\n`)

const (
	noNodes   = "\tif len(nodes) == 0 {\n\t\treturn nodes, nil\n\t}\n"
	loadTotal = "\tfor i := range _q.loadTotal {"
)

// patchEdgeLoads rewrites the sqlAll functions of one generated file,
// reporting how many it rewrote (those with at least one edge).
func patchEdgeLoads(src []byte) ([]byte, int, error) {
	s := string(src)
	var b strings.Builder
	n := 0
	for {
		loc := sqlAllHead.FindStringIndex(s)
		if loc == nil {
			b.WriteString(s)
			break
		}
		end := strings.Index(s[loc[1]:], "\n}\n")
		if end < 0 {
			return nil, n, fmt.Errorf("sqlAll without an end")
		}
		end += loc[1]
		body, rewritten, err := rewriteSQLAll(s[loc[1]:end])
		if err != nil {
			return nil, n, fmt.Errorf("%s: %w", strings.TrimSpace(s[loc[0]:loc[1]]), err)
		}
		if rewritten {
			n++
		}
		b.WriteString(s[:loc[1]])
		b.WriteString(body)
		s = s[end:]
	}
	if n == 0 {
		return src, 0, nil
	}
	out, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, n, fmt.Errorf("formatting the rewritten code: %w", err)
	}
	return out, n, nil
}

// rewriteSQLAll rewrites the edge loads of one sqlAll body. Every statement
// between the empty-result return and the totals (or the final return)
// must be a load block of the known shape.
func rewriteSQLAll(body string) (string, bool, error) {
	a := strings.Index(body, noNodes)
	if a < 0 {
		return "", false, fmt.Errorf("no early return for an empty result (did ent change?)")
	}
	a += len(noNodes)
	z := strings.Index(body[a:], loadTotal)
	if z < 0 {
		z = strings.Index(body[a:], "\treturn nodes, nil")
	}
	if z < 0 {
		return "", false, fmt.Errorf("no end of the edge loads (did ent change?)")
	}
	seg := body[a : a+z]
	if seg == "" {
		return body, false, nil
	}
	blocks := loadBlock.FindAllStringSubmatch(seg, -1)
	var whole strings.Builder
	for _, m := range blocks {
		whole.WriteString(m[0])
	}
	if whole.String() != seg {
		return "", false, fmt.Errorf("an edge load of another shape (did ent change?)")
	}
	var out strings.Builder
	out.WriteString("\tvar loads []func(context.Context) error\n")
	for _, m := range blocks {
		inner := strings.ReplaceAll(m[3], "return nil, err", "return err")
		if m[1] != "" { // one unnamed edge
			fmt.Fprintf(&out, "\tif query := _q.%s; query != nil {\n\t\tloads = append(loads, func(ctx context.Context) error {\n%s\t\t\treturn nil\n\t\t})\n\t}\n", m[1], inner)
			continue
		}
		fmt.Fprintf(&out, "\tif len(_q.%s) > 0 {\n\t\tloads = append(loads, func(ctx context.Context) error {\n\tfor name, query := range _q.%s {\n%s\t}\n\t\t\treturn nil\n\t\t})\n\t}\n", m[2], m[2], inner)
	}
	out.WriteString("\tif err := loadEdges(ctx, _q.config, loads); err != nil {\n\t\treturn nil, err\n\t}\n")
	return body[:a] + out.String() + body[a+z:], true, nil
}

// patchEdgeLoadFiles rewrites the sqlAll functions of the query builders
// in dir; the returnee's, whose edges a case loads, must be among them.
func patchEdgeLoadFiles(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*_query.go"))
	if err != nil {
		return err
	}
	returnee := false
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		out, n, err := patchEdgeLoads(src)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if n == 0 {
			continue
		}
		returnee = returnee || filepath.Base(f) == "returnee_query.go"
		if err := os.WriteFile(f, out, 0o644); err != nil {
			return err
		}
	}
	if !returnee {
		return fmt.Errorf("the returnee query's edge loads were not rewritten (did ent change?)")
	}
	return nil
}
