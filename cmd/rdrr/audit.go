package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rdrr-project/rdrr/internal/audit"
)

// errBroken makes rdrr exit with status 1 after printing the report.
var errBroken = errors.New("the audit trail is broken")

func auditCmd(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return usageError{"usage: rdrr audit verify|export [flags]"}
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, args[1:], out)
	case "export":
		return auditExport(ctx, args[1:], out)
	}
	return usageError{fmt.Sprintf("unknown audit command %q (verify, export)", args[0])}
}

func auditVerify(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("audit verify")
	db := fs.String("db", defaultDB, "database URL: sqlite:PATH or postgres://...")
	if err := fs.parse(args); err != nil {
		return err
	}
	st, err := openMigrated(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := audit.Verify(ctx, st.Client)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, rep)
	if !rep.OK() {
		return errBroken
	}
	return nil
}

func auditExport(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("audit export")
	db := fs.String("db", defaultDB, "database URL: sqlite:PATH or postgres://...")
	from := fs.String("from", "", "start of the period, RFC 3339 or YYYY-MM-DD (inclusive; required)")
	to := fs.String("to", "", "end of the period, RFC 3339 or YYYY-MM-DD (exclusive; required)")
	file := fs.String("out", "", "write to this file instead of standard output")
	if err := fs.parse(args); err != nil {
		return err
	}
	start, err := parseInstant("--from", *from)
	if err != nil {
		return err
	}
	end, err := parseInstant("--to", *to)
	if err != nil {
		return err
	}
	if !end.After(start) {
		return usageError{"--to must be after --from"}
	}
	st, err := openMigrated(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	w := out
	if *file != "" {
		f, err := os.OpenFile(*file, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	n, err := audit.ExportCSV(ctx, st.Client, start, end, w)
	if err != nil {
		return err
	}
	if *file != "" {
		fmt.Fprintf(out, "exported %d events to %s\n", n, *file)
	}
	return nil
}

func parseInstant(flag, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, usageError{flag + " is required"}
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, usageError{fmt.Sprintf("%s: %q is not RFC 3339 or YYYY-MM-DD", flag, v)}
}
