package main

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
)

// cachedLoader is ent's eager loader of an edge to a type of reference data
// (Organisation, RepatriationOperation), up to its query: the rewrite sends
// the query through the type's function in ent/gql_orgcache.go
// (organisationsByID, operationsByID), which may answer it from the
// process's cache instead of the database.
type cachedLoader struct {
	name        string // for messages
	loader      *regexp.Regexp
	head        *regexp.Regexp // every loader of the type, rewritten or not, to check that none was missed
	replacement []byte
}

func newCachedLoader(name, typ, pkg, fn string) cachedLoader {
	return cachedLoader{
		name: name,
		loader: regexp.MustCompile(`(?s)` +
			`(func \(_q \*\w+Query\) load\w+\(ctx context\.Context, query \*` + typ + `Query, nodes \[\]\*\w+, init func\(\*\w+\), assign func\(\*\w+, \*` + typ + `\)\) error \{\n` +
			`\tids := make\(\[\]gid\.ID, 0, len\(nodes\)\)\n` +
			`.*?` + // the loop collecting the foreign keys
			`\tif len\(ids\) == 0 \{\n\t\treturn nil\n\t\}\n` +
			`\tquery\.Where\(` + pkg + `\.IDIn\(ids\.\.\.\)\)\n` +
			`\tneighbors, err := )query\.All\(ctx\)\n`),
		head:        regexp.MustCompile(`func \(_q \*\w+Query\) load\w+\(ctx context\.Context, query \*` + typ + `Query,`),
		replacement: []byte("${1}" + fn + "(ctx, query, ids)\n"),
	}
}

var cachedLoaders = []cachedLoader{
	newCachedLoader("organisation", "Organisation", "organisation", "organisationsByID"),
	newCachedLoader("repatriation operation", "RepatriationOperation", "repatriationoperation", "operationsByID"),
}

// patchOrgLoaders rewrites the loaders of reference data of one generated
// file, reporting how many it rewrote; every such loader of the file must
// have the known shape.
func patchOrgLoaders(src []byte) ([]byte, int, error) {
	total := 0
	for _, l := range cachedLoaders {
		heads := len(l.head.FindAllIndex(src, -1))
		n := len(l.loader.FindAllIndex(src, -1))
		if n != heads {
			return nil, total, fmt.Errorf("%d of %d %s loaders have the known shape (did ent change?)", n, heads, l.name)
		}
		if n > 0 {
			src = l.loader.ReplaceAll(src, l.replacement)
			total += n
		}
	}
	if total == 0 {
		return src, 0, nil
	}
	out, err := format.Source(src)
	if err != nil {
		return nil, total, fmt.Errorf("formatting the rewritten code: %w", err)
	}
	return out, total, nil
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
