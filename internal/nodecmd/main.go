package nodecmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"stegocloud/cluster"
	"stegocloud/internal/nonblock"
	"stegocloud/stego"
)

const usage = `Usage: stegocloud node --id N --peers 1=127.0.0.1:7001,2=127.0.0.1:7002,… [flags]

Runs one node of the cloud until interrupted (SIGINT, SIGTERM) or told to
shut down by a control client. Nodes elect the lowest-load coordinator
(load-based Bully with epochs), detect failures by heartbeats, and serve
"encryption" requests (metadata hidden in an image) and views (the image's
metadata revealed, one of its views spent) as their coordinator assigns
them. The coordinator keeps the table of views left and online users and
pushes every change to its peers. With --key FILE the metadata a node hides
is sealed with that key, and views of sealed images need it: give every
node the key the images were sealed with. Logs go to stderr; with --events
every event is appended to a JSON-lines file (schema in cluster/doc.go).
With --tls DIR (made by 'stegocloud certs') every connection is mutual TLS
and plaintext is refused.
`

// logBudget bounds the log bytes waiting for stderr.
const logBudget = 1 << 20

// Option changes how Main builds the node. The production binary passes
// none; tests use them to start real node processes that misbehave.
type Option func(*options)

type options struct {
	wrapService   func(cluster.Service) cluster.Service
	wrapTransport func(cluster.Transport) cluster.Transport
}

// WithService wraps the node's service: wrap receives the real one and
// returns what the node will call instead (for example, one that corrupts
// every k-th answer).
func WithService(wrap func(cluster.Service) cluster.Service) Option {
	return func(o *options) { o.wrapService = wrap }
}

// WithTransport wraps the node's transport (TCP), for tests that tamper
// with what goes over the wire. With --tls the wrapper sees ciphertext.
func WithTransport(wrap func(cluster.Transport) cluster.Transport) Option {
	return func(o *options) { o.wrapTransport = wrap }
}

// Main is the whole node command: flags, logging, event file, key, then the
// node until ctx ends, SIGINT/SIGTERM arrive or a control shutdown. A bad
// flag or value is an error wrapping cluster.ErrConfig; --help prints the
// usage to stdout and returns flag.ErrHelp.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, opts ...Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := parse(args, stdout)
	if err != nil {
		return err
	}
	var key []byte
	if cfg.Key != "" {
		if key, err = stego.LoadKey(cfg.Key); err != nil {
			return fmt.Errorf("%w: key: %v", cluster.ErrConfig, err)
		}
	}
	var events *cluster.EventLog
	if cfg.Events != "" {
		f, err := os.OpenFile(cfg.Events, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("opening event file: %w", err)
		}
		defer f.Close()
		events = cluster.NewEventLog(f, nil)
	}
	out := nonblock.New(stderr, logBudget)
	defer out.Close(2 * time.Second)
	level, _ := cluster.ParseLogLevel(cfg.LogLevel) // Validate checked it
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: level})).With("node", cfg.ID)

	var svc cluster.Service = cluster.CodecService{Codec: cluster.StegoCodec{}, Key: key, Delay: cfg.ServiceDelay}
	if o.wrapService != nil {
		svc = o.wrapService(svc)
	}
	var tr cluster.Transport = cluster.TCPTransport{}
	if o.wrapTransport != nil {
		tr = o.wrapTransport(tr)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	n, err := cluster.NewNode(cfg, cluster.NodeOptions{
		Transport: tr, Service: svc,
		Events: events, Logger: logger, Log: out, LogDropped: out.Dropped,
	})
	if err != nil {
		return err
	}
	return n.Run(ctx)
}

// strayArgs names every word the flag package left over: it stops at the
// first word that is not a flag, so "--id 1 x --peers …" would drop --peers.
func strayArgs(words []string) error {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = strconv.Quote(w)
	}
	noun := "argument"
	if len(words) > 1 {
		noun = "arguments"
	}
	return fmt.Errorf("%w: node: unexpected %s %s: flag parsing stops at the first word that is not a flag, "+
		"so quote a value that holds spaces and put flags before any other word (see 'stegocloud node --help')",
		cluster.ErrConfig, noun, strings.Join(quoted, " "))
}

// parse reads the flags into a validated Config.
func parse(args []string, stdout io.Writer) (cluster.Config, error) {
	cfg := cluster.DefaultConfig()
	fs := flag.NewFlagSet("node", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprint(stdout, usage, "\nFlags:\n")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return cfg, flag.ErrHelp
		}
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return cfg, fmt.Errorf("%w: node: %v (see 'stegocloud node --help')", cluster.ErrConfig, err)
	}
	if fs.NArg() > 0 {
		return cfg, strayArgs(fs.Args())
	}
	return cfg, cfg.Validate()
}
