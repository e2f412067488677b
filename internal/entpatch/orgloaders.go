package main

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
)

// orgLoader is ent's eager loader of an edge to Organisation, up to its
// query: the rewrite sends the query through ent.organisationsByID
// (ent/gql_orgcache.go), which may answer it from the process's cache of
// organisations instead of the database.
var orgLoader = regexp.MustCompile(`(?s)` +
	`(func \(_q \*\w+Query\) load\w+\(ctx context\.Context, query \*OrganisationQuery, nodes \[\]\*\w+, init func\(\*\w+\), assign func\(\*\w+, \*Organisation\)\) error \{\n` +
	`\tids := make\(\[\]gid\.ID, 0, len\(nodes\)\)\n` +
	`.*?` + // the loop collecting the foreign keys
	`\tif len\(ids\) == 0 \{\n\t\treturn nil\n\t\}\n` +
	`\tquery\.Where\(organisation\.IDIn\(ids\.\.\.\)\)\n` +
	`\tneighbors, err := )query\.All\(ctx\)\n`)

// orgLoaderHead finds every loader of an edge to Organisation, rewritten
// or not, to check that none was missed.
var orgLoaderHead = regexp.MustCompile(`func \(_q \*\w+Query\) load\w+\(ctx context\.Context, query \*OrganisationQuery,`)

// patchOrgLoaders rewrites the organisation loaders of one generated file,
// reporting how many it rewrote; every loader of the file must have the
// known shape.
func patchOrgLoaders(src []byte) ([]byte, int, error) {
	heads := len(orgLoaderHead.FindAllIndex(src, -1))
	n := len(orgLoader.FindAllIndex(src, -1))
	if n != heads {
		return nil, n, fmt.Errorf("%d of %d organisation loaders have the known shape (did ent change?)", n, heads)
	}
	if n == 0 {
		return src, 0, nil
	}
	out, err := format.Source(orgLoader.ReplaceAll(src, []byte("${1}organisationsByID(ctx, query, ids)\n")))
	if err != nil {
		return nil, n, fmt.Errorf("formatting the rewritten code: %w", err)
	}
	return out, n, nil
}

// patchOrgLoaderFiles rewrites the organisation loaders of the query
// builders in dir; at least one must be found.
func patchOrgLoaderFiles(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*_query.go"))
	if err != nil {
		return err
	}
	total := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		out, n, err := patchOrgLoaders(src)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if n == 0 {
			continue
		}
		total += n
		if err := os.WriteFile(f, out, 0o644); err != nil {
			return err
		}
	}
	if total == 0 {
		return fmt.Errorf("no organisation loader of the known shape in %s (did ent change?)", dir)
	}
	return nil
}
