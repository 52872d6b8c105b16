package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// command is one subcommand of the binary. Each lives in its own file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands is the table of subcommands, in the order --help lists them.
var commands = []command{
	{name: "node", summary: "run one node of the cloud", run: runNode},
	{name: "send", summary: "send one image through a running cluster", run: runSend},
	{name: "view", summary: "view an image through a running cluster: spend one of its views", run: runView},
	{name: "peers", summary: "the cluster's discovery table: register, unregister, list online users", run: runPeers},
	{name: "certs", summary: "make the CA and certificates of a mutual-TLS cluster", run: runCerts},
	{name: "stego", summary: "hide metadata in an image, read it back, make a key (embed, extract, keygen)", run: runStego},
	{name: "run", summary: "run an experiment: cluster, faults, load, checks, figures and report", run: runRun},
	{name: "compare", summary: "compare run sets: headline metrics with deltas and significance, overlay figures", run: runCompare},
	{name: "report", summary: "regenerate a run's figures and report.md from its stored data", run: runReport},
}

// errHelp is returned when the user asked for help: the usage has been printed
// and the process exits 0.
var errHelp = flag.ErrHelp

// run is the whole program: it picks the subcommand and hands it the rest.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return usageErrorf("no command given")
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return usageErrorf("unknown command %q", name)
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "stegocloud: experiments on a small distributed image-sharing cloud.\n\nUsage:\n  stegocloud <command> [flags]\n\nCommands:\n")
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'stegocloud <command> --help' for the flags of a command.\n")
}

// usageError marks a mistake in the command line (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// newFlagSet returns a flag set whose errors are returned, not printed and
// exited on, and whose usage starts with the command's synopsis and description.
func newFlagSet(name, synopsis, description string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: stegocloud %s\n\n%s\n", synopsis, strings.TrimSpace(description))
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintf(out, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args; --help prints the usage to stdout and returns errHelp.
// Positional arguments are not allowed unless the caller reads fs.Args().
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return errHelp
		}
	}
	// Silence the flag package's own report; run's caller prints the error once.
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return usageErrorf("%s: %v (see 'stegocloud %s --help')", fs.Name(), err, fs.Name())
	}
	return nil
}

// checkArgs returns a usage error naming every positional argument past the
// first max, or nil. Go's flag package stops at the first word that is not a
// flag and leaves everything after it, flags included, as positional
// arguments: without this check, `--users alice bob --quota 5` would hide
// only alice, silently dropping bob and the quota. Commands that take no
// positional arguments pass 0.
func checkArgs(fs *flag.FlagSet, max int) error {
	if fs.NArg() <= max {
		return nil
	}
	extra := fs.Args()[max:]
	quoted := make([]string, len(extra))
	for i, a := range extra {
		quoted[i] = strconv.Quote(a)
	}
	noun := "argument"
	if len(extra) > 1 {
		noun = "arguments"
	}
	return usageErrorf("%s: unexpected %s %s: flag parsing stops at the first word that is not a flag, "+
		"so quote a value that holds spaces and put flags before any other word (see 'stegocloud %s --help')",
		fs.Name(), noun, strings.Join(quoted, " "), fs.Name())
}

// decimalFlag is a flag.Value for a whole number written in decimal within
// [min, max]. flag.Int takes Go syntax: "0x10" is 16, "010" is 8 and "1_0"
// is 10, none of which a user typing a count means.
type decimalFlag struct {
	v, min, max int64
}

func (d *decimalFlag) String() string {
	if d == nil {
		return "0"
	}
	return strconv.FormatInt(d.v, 10)
}

func (d *decimalFlag) Set(s string) error {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < d.min || v > d.max {
		return fmt.Errorf("want a whole number in decimal, %d..%d", d.min, d.max)
	}
	d.v = v
	return nil
}

// decimalVar defines a decimalFlag with a default value and a range.
func decimalVar(fs *flag.FlagSet, name string, value, min, max int64, usage string) *decimalFlag {
	d := &decimalFlag{v: value, min: min, max: max}
	fs.Var(d, name, usage)
	return d
}

// exitCode maps run's error to the process exit code, printing it once.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	}
	fmt.Fprintf(stderr, "stegocloud: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}
