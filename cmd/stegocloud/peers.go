package main

import (
	"context"
	"fmt"
	"io"

	"stegocloud/cluster"
)

// peersCommands are the subcommands of `stegocloud peers`.
var peersCommands = []command{
	{name: "register", summary: "put a user online at an address", run: runPeersRegister},
	{name: "unregister", summary: "take a user offline", run: runPeersUnregister},
	{name: "list", summary: "list the users online", run: runPeersList},
}

const peersAbout = `The cluster's discovery table (the seed's Phase 2): who is online and where.
It lives in the same table as the view quotas: the coordinator applies each
change and pushes it to its peers. Every subcommand prints one line of JSON
on stdout and, on stderr, which node answered and which applied it.`

// runPeers dispatches `stegocloud peers <subcommand>`.
func runPeers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		peersUsage(stderr)
		return usageErrorf("peers: no subcommand given")
	}
	if a := args[0]; a == "-h" || a == "--help" || a == "-help" || a == "help" {
		peersUsage(stdout)
		return nil
	}
	for _, c := range peersCommands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	peersUsage(stderr)
	return usageErrorf("peers: unknown subcommand %q", args[0])
}

func peersUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: stegocloud peers <subcommand> --cluster 1=127.0.0.1:7001,… [flags]\n\n%s\n\nSubcommands:\n", peersAbout)
	for _, c := range peersCommands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'stegocloud peers <subcommand> --help' for its flags.\n")
}

func runPeersRegister(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("peers register", "peers register --cluster … --user alice --addr host:port [flags]", `
Puts --user online at --addr (replacing an older address). Prints
{"changed":true} when the table changed, {"changed":false} when the user was
already online there.`, stderr)
	user := fs.String("user", "", "who comes online (required)")
	addr := fs.String("addr", "", "where they can be reached, e.g. host:port (required)")
	cf := clusterFlags(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkArgs(fs, 0); err != nil {
		return err
	}
	if *user == "" || *addr == "" {
		return usageErrorf("peers register: --user and --addr are required")
	}
	return peersCall(fs.Name(), cf, stdout, stderr, func(c *cluster.Client) (any, cluster.Outcome, error) {
		r, err := c.Register(ctx, *user, *addr)
		return r, r.Outcome, err
	})
}

func runPeersUnregister(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("peers unregister", "peers unregister --cluster … --user alice [flags]", `
Takes --user offline. Prints {"changed":true} when they were online,
{"changed":false} when they were not.`, stderr)
	user := fs.String("user", "", "who goes offline (required)")
	cf := clusterFlags(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkArgs(fs, 0); err != nil {
		return err
	}
	if *user == "" {
		return usageErrorf("peers unregister: --user is required")
	}
	return peersCall(fs.Name(), cf, stdout, stderr, func(c *cluster.Client) (any, cluster.Outcome, error) {
		r, err := c.Unregister(ctx, *user)
		return r, r.Outcome, err
	})
}

func runPeersList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("peers list", "peers list --cluster … [flags]", `
Lists the users online, sorted, as the coordinator's table has them:
{"peers":[{"user":"alice","addr":"127.0.0.1:9001"}]} ({"peers":[]} when
nobody is).`, stderr)
	cf := clusterFlags(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkArgs(fs, 0); err != nil {
		return err
	}
	return peersCall(fs.Name(), cf, stdout, stderr, func(c *cluster.Client) (any, cluster.Outcome, error) {
		r, err := c.Online(ctx)
		if r.Peers == nil {
			r.Peers = []cluster.Peer{}
		}
		return r, r.Outcome, err
	})
}

// peersCall connects, runs one call, and prints its result and outcome.
func peersCall(cmd string, cf *clusterFlagSet, stdout, stderr io.Writer, call func(*cluster.Client) (any, cluster.Outcome, error)) error {
	c, err := cf.client(cmd, "peers")
	if err != nil {
		return err
	}
	defer c.Close()
	res, out, err := call(c)
	if err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	if err := printJSON(stdout, res); err != nil {
		return err
	}
	describeOutcome(stderr, out)
	return nil
}
