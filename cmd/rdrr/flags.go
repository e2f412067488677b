package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// flagSet is a flag.FlagSet whose flags default to their RDRR_* environment
// twin when it is set.
type flagSet struct{ *flag.FlagSet }

func newFlags(name string) flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	return flagSet{fs}
}

func envName(flagName string) string {
	return "RDRR_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f flagSet) String(name, def, usage string) *string {
	if v, ok := os.LookupEnv(envName(name)); ok {
		def = v
	}
	return f.FlagSet.String(name, def, usage+" (env "+envName(name)+")")
}

func (f flagSet) Bool(name string, def bool, usage string) *bool {
	if v, ok := os.LookupEnv(envName(name)); ok {
		if b, err := strconv.ParseBool(v); err == nil {
			def = b
		}
	}
	return f.FlagSet.Bool(name, def, usage+" (env "+envName(name)+")")
}

func (f flagSet) Int(name string, def int, usage string) *int {
	if v, ok := os.LookupEnv(envName(name)); ok {
		if n, err := strconv.Atoi(v); err == nil {
			def = n
		}
	}
	return f.FlagSet.Int(name, def, usage+" (env "+envName(name)+")")
}

func (f flagSet) Duration(name string, def time.Duration, usage string) *time.Duration {
	if v, ok := os.LookupEnv(envName(name)); ok {
		if d, err := time.ParseDuration(v); err == nil {
			def = d
		}
	}
	return f.FlagSet.Duration(name, def, usage+" (env "+envName(name)+")")
}

func (f flagSet) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if f.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", f.Arg(0))}
	}
	return nil
}

func (f flagSet) Uint64(name string, def uint64, usage string) *uint64 {
	if v, ok := os.LookupEnv(envName(name)); ok {
		if n, err := strconv.ParseUint(v, 10, 64); err == nil {
			def = n
		}
	}
	return f.FlagSet.Uint64(name, def, usage+" (env "+envName(name)+")")
}
