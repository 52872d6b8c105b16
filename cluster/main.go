package cluster

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"stegocloud/stego"
)

const nodeUsage = `Usage: stegocloud node --id N --peers 1=127.0.0.1:7001,2=127.0.0.1:7002,… [flags]

Runs one node of the cloud until interrupted (SIGINT, SIGTERM) or told to
shut down by a control client. Nodes elect the lowest-load coordinator
(load-based Bully with epochs), detect failures by heartbeats, and serve
"encryption" requests (metadata hidden in an image) as their coordinator
assigns them. Logs go to stderr; with --events every event is appended to a
JSON-lines file (schema in cluster/doc.go).
`

// Main is the whole node subcommand: flags, logging, event file, key, then
// the node until ctx ends, SIGINT/SIGTERM arrive or a control shutdown. A
// bad flag or value is an error wrapping ErrConfig; --help prints the usage
// to stdout and returns flag.ErrHelp. Tests and the harness re-execute their
// own binary into Main to get real node processes.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("node", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprint(stdout, nodeUsage, "\nFlags:\n")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return flag.ErrHelp
		}
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: node: %v (see 'stegocloud node --help')", ErrConfig, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: node: unexpected argument %q", ErrConfig, fs.Arg(0))
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	level, _ := parseLevel(cfg.LogLevel)
	out := &lockedWriter{w: stderr}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: level})).With("node", cfg.ID)

	var key []byte
	if cfg.Key != "" {
		k, err := stego.LoadKey(cfg.Key)
		if err != nil {
			return fmt.Errorf("%w: key: %v", ErrConfig, err)
		}
		key = k
	}
	var events *EventLog
	if cfg.Events != "" {
		f, err := os.OpenFile(cfg.Events, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("opening event file: %w", err)
		}
		defer f.Close()
		events = NewEventLog(&wholeLines{w: f}, nil)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	n, err := NewNode(cfg, NodeOptions{
		Transport: TCPTransport{},
		Service:   CodecService{Codec: StegoCodec{}, Key: key, Delay: cfg.ServiceDelay},
		Events:    events, Logger: logger, Log: out,
	})
	if err != nil {
		return err
	}
	return n.Run(ctx)
}

// lockedWriter serialises the log handler and the election block, so a
// multi-line block is never interleaved with a log line.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// wholeLines passes only complete lines to w and keeps the tail of a line
// until its newline arrives. Each write to the event file then holds whole
// events, so a SIGKILL can lose buffered events but never leave a torn line
// that a restarted node, appending to the same file, would bury mid-file.
type wholeLines struct {
	w    io.Writer
	tail []byte
}

func (l *wholeLines) Write(p []byte) (int, error) {
	l.tail = append(l.tail, p...)
	i := bytes.LastIndexByte(l.tail, '\n')
	if i < 0 {
		return len(p), nil
	}
	if _, err := l.w.Write(l.tail[:i+1]); err != nil {
		return 0, err
	}
	l.tail = append(l.tail[:0], l.tail[i+1:]...)
	return len(p), nil
}
