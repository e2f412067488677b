// Command rdrr is the rdrr server and its tools.
//
//	rdrr serve [--demo]     run the GraphQL API
//	rdrr migrate            apply database migrations
//	rdrr seed --demo        fill an empty database with synthetic demo data
//	rdrr token --user EMAIL print a development token for a user
//	rdrr audit verify       check the audit trail's hash chain (exit 1 if broken)
//	rdrr audit export       write a period of the audit trail as CSV
//
// Every flag has an environment twin (RDRR_ plus the flag name in upper
// case, e.g. --db and RDRR_DB); a flag given on the command line wins.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if errors.Is(err, errBroken) {
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "rdrr:", err)
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

const usage = `usage: rdrr <command> [flags]

commands:
  serve     run the GraphQL API (--demo fills an empty database with demo data)
  migrate   apply pending database migrations
  seed      fill an empty database with synthetic demo data (--demo)
  token     print a development token for a user (--user EMAIL)
  audit     verify the audit trail's hash chain, or export a period as CSV

run "rdrr <command> -h" for the flags of a command`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{usage}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	switch args[0] {
	case "serve":
		return serveCmd(ctx, args[1:], stdout, log)
	case "migrate":
		return migrateCmd(ctx, args[1:], stdout, log)
	case "seed":
		return seedCmd(ctx, args[1:], stdout, log)
	case "token":
		return tokenCmd(ctx, args[1:], stdout)
	case "audit":
		return auditCmd(ctx, args[1:], stdout)
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q\n\n%s", args[0], usage)}
}
