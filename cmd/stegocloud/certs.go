package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"stegocloud/internal/pki"
)

const certsDescription = `
Makes the credentials for a mutual-TLS cluster: a cluster CA (ca.pem,
ca-key.pem), a certificate and key for every node (node-N.pem,
node-N-key.pem), one for clients (client.pem: send, the harness's load) and
one for control (control.pem: fail, status, shutdown). Each certificate
carries its identity as a URI, spiffe://stegocloud/node/N,
spiffe://stegocloud/client/NAME or spiffe://stegocloud/control/NAME; a node
checks that what a connection claims to be matches it.

Give the directory to every party with --tls DIR. Keys are written with mode
0600 and the directory 0700; existing files are never replaced unless
--force is given. Keep ca-key.pem away from the nodes: only this command
needs it.`

func runCerts(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("certs", "certs --out DIR --nodes N [flags]", certsDescription, stderr)
	var (
		out      = fs.String("out", "", "directory to write the credentials to (created, mode 0700)")
		nodes    = fs.Int("nodes", 0, "number of nodes: certificates for node-1 … node-N (1..255)")
		client   = fs.String("client", pki.DefaultName, "NAME in the client identity spiffe://stegocloud/client/NAME")
		control  = fs.String("control", pki.DefaultName, "NAME in the control identity spiffe://stegocloud/control/NAME")
		validity = fs.Duration("validity", pki.DefaultValidity, "how long the certificates are valid")
		force    = fs.Bool("force", false, "replace existing credentials in --out (a new CA: every party needs the new files)")
	)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageErrorf("certs: unexpected argument %q", fs.Arg(0))
	case *out == "":
		return usageErrorf("certs: --out is required")
	case *nodes < 1 || *nodes > 255:
		return usageErrorf("certs: --nodes must be in 1..255, got %d", *nodes)
	case *validity <= 0:
		return usageErrorf("certs: --validity must be positive, got %v", *validity)
	}
	written, err := pki.Generate(*out, pki.Options{Nodes: *nodes, Client: *client, Control: *control, Validity: *validity, Force: *force})
	if errors.Is(err, pki.ErrIdentity) {
		return usageErrorf("certs: %v", err)
	}
	if err != nil {
		return fmt.Errorf("certs: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %d files to %s: a cluster CA, %d node certificates, a client and a control certificate\n",
		len(written), *out, *nodes)
	return nil
}
