// Command migrationgen writes a new versioned migration for each store from
// the difference between the ent schema and the committed migrations, or, with
// -check, fails when such a difference exists (CI runs it that way).
//
//	go run ./internal/store/migrationgen -name add_referrals
//	go run ./internal/store/migrationgen -check
//
// SQLite is diffed in memory; PostgreSQL in a scratch database created on the
// server named by -postgres (default: the local test server).
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	entmigrate "github.com/rdrr-project/rdrr/ent/migrate"
)

func main() {
	name := flag.String("name", "", "name of the new migration")
	check := flag.Bool("check", false, "fail if the schema and the migrations differ; write nothing")
	pg := flag.String("postgres", envOr("RDRR_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "PostgreSQL server for the scratch database")
	dir := flag.String("dir", "internal/store/migrations", "migrations root")
	rehash := flag.Bool("rehash", false, "recompute atlas.sum after editing a new migration by hand (e.g. to add triggers)")
	flag.Parse()
	if *rehash {
		for _, d := range []string{"sqlite", "postgres"} {
			if err := rehashDir(filepath.Join(*dir, d)); err != nil {
				log.Fatalf("%s: %v", d, err)
			}
		}
		return
	}
	if !*check && *name == "" {
		log.Fatal("give -name, -check or -rehash")
	}
	ctx := context.Background()
	failed := false
	version := ""
	for _, d := range []string{dialect.SQLite, dialect.Postgres} {
		path := filepath.Join(*dir, dirName(d))
		changed, err := diff(ctx, d, path, *name, *check, *pg)
		if err != nil {
			log.Fatalf("%s: %v", d, err)
		}
		if !changed {
			continue
		}
		if *check {
			fmt.Printf("%s: the ent schema has changes without a migration; run go run ./internal/store/migrationgen -name <name>\n", d)
			failed = true
			continue
		}
		// Both stores carry the same versions: the second directory's new
		// file takes the first one's version.
		v, err := sameVersion(path, *name, version)
		if err != nil {
			log.Fatalf("%s: %v", d, err)
		}
		version = v
		fmt.Printf("%s: wrote migration %s_%s\n", d, v, *name)
	}
	if failed {
		os.Exit(1)
	}
}

// sameVersion renames the newest migration in path to carry version (when
// given) and rewrites atlas.sum; it returns the file's version.
func sameVersion(path, name, version string) (string, error) {
	dir, err := migrate.NewLocalDir(path)
	if err != nil {
		return "", err
	}
	files, err := dir.Files()
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("reading migrations: %v", err)
	}
	last := files[len(files)-1]
	if version == "" || last.Version() == version {
		return last.Version(), nil
	}
	if err := os.Rename(filepath.Join(path, last.Name()), filepath.Join(path, version+"_"+name+".sql")); err != nil {
		return "", err
	}
	sum, err := dir.Checksum()
	if err != nil {
		return "", err
	}
	return version, migrate.WriteSumFile(dir, sum)
}

func dirName(d string) string {
	if d == dialect.Postgres {
		return "postgres"
	}
	return "sqlite"
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// diff replays the committed migrations on an empty scratch database and
// writes (or, in check mode, detects) what the ent schema adds to them.
func diff(ctx context.Context, d, path, name string, check bool, pgURL string) (bool, error) {
	target := path
	if check {
		tmp, err := os.MkdirTemp("", "rdrr-migrations-*")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(tmp)
		if err := copyDir(path, tmp); err != nil {
			return false, err
		}
		target = tmp
		name = "check"
	}
	before, err := os.ReadDir(target)
	if err != nil {
		return false, err
	}
	db, cleanup, err := scratch(ctx, d, pgURL)
	if err != nil {
		return false, err
	}
	defer cleanup()
	dir, err := migrate.NewLocalDir(target)
	if err != nil {
		return false, err
	}
	drv := entsql.OpenDB(d, db)
	err = entmigrate.NewSchema(drv).NamedDiff(ctx, name,
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(d),
		schema.WithFormatter(migrate.DefaultFormatter),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
	if err != nil {
		return false, err
	}
	after, err := os.ReadDir(target)
	if err != nil {
		return false, err
	}
	return len(after) != len(before), nil
}

func scratch(ctx context.Context, d, pgURL string) (*sql.DB, func(), error) {
	if d == dialect.SQLite {
		db, err := sql.Open("sqlite", "file:migrationgen?mode=memory&cache=shared&_pragma=foreign_keys(1)")
		if err != nil {
			return nil, nil, err
		}
		db.SetMaxOpenConns(1)
		return db, func() { db.Close() }, nil
	}
	admin, err := sql.Open("pgx", pgURL)
	if err != nil {
		return nil, nil, err
	}
	name := fmt.Sprintf("rdrr_migrationgen_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("creating scratch database: %w", err)
	}
	u, err := withDatabase(pgURL, name)
	if err != nil {
		return nil, nil, err
	}
	db, err := sql.Open("pgx", u)
	if err != nil {
		return nil, nil, err
	}
	return db, func() {
		db.Close()
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}, nil
}

func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func rehashDir(path string) error {
	dir, err := migrate.NewLocalDir(path)
	if err != nil {
		return err
	}
	sum, err := dir.Checksum()
	if err != nil {
		return err
	}
	return migrate.WriteSumFile(dir, sum)
}
