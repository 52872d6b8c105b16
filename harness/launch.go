package harness

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"

	"stegocloud/cluster"
)

// Processes starts node processes on this machine and owns them until Close:
// it kills, restarts, pauses and resumes them for the fault executor and makes
// sure none is left behind, whatever happens to the run.
type Processes struct {
	exe    []string // argv prefix that runs a node, e.g. [stegocloud node]
	env    []string // extra environment for node processes
	dir    string   // nodes/ directory: N.log and N.events.jsonl
	events *cluster.EventLog

	mu    sync.Mutex
	cfgs  map[int]cluster.Config
	procs map[int]*nodeProc

	// EnvOf is extra environment for one node's processes, after env (tests:
	// one misbehaving node). Set it before StartAll.
	EnvOf map[int][]string
}

// nodeProc is one running (or ended) node process.
type nodeProc struct {
	cmd      *exec.Cmd
	done     chan struct{} // closed once the process has been reaped
	exitErr  error
	expected bool // the harness ended it on purpose
	paused   bool
}

// NewProcesses prepares a local cluster of cfgs. exe is the argv prefix that
// runs `stegocloud node` (usually os.Executable() and "node"); node logs and
// event files go under dir; harness events (node_exit) go to events.
func NewProcesses(exe []string, env []string, dir string, cfgs []cluster.Config, events *cluster.EventLog) (*Processes, error) {
	if len(exe) == 0 {
		return nil, errors.New("launching nodes: no node command given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("launching nodes: %w", err)
	}
	p := &Processes{exe: exe, env: env, dir: dir, events: events,
		cfgs: map[int]cluster.Config{}, procs: map[int]*nodeProc{}}
	for _, c := range cfgs {
		c.Events = p.EventsPath(c.ID)
		p.cfgs[c.ID] = c
	}
	return p, nil
}

// EventsPath is where node id writes its events.
func (p *Processes) EventsPath(id int) string {
	return filepath.Join(p.dir, strconv.Itoa(id)+".events.jsonl")
}

// LogPath is where node id's stdout and stderr go.
func (p *Processes) LogPath(id int) string {
	return filepath.Join(p.dir, strconv.Itoa(id)+".log")
}

// IDs lists the node ids in increasing order.
func (p *Processes) IDs() []int {
	ids := make([]int, 0, len(p.cfgs))
	for id := range p.cfgs {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}

// StartAll starts every node.
func (p *Processes) StartAll() error {
	for _, id := range p.IDs() {
		if err := p.start(id, false); err != nil {
			return err
		}
	}
	return nil
}

// start runs node id; recovering makes it start in Recovering (a restart
// after a crash).
func (p *Processes) start(id int, recovering bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if np := p.procs[id]; np != nil && !np.exited() {
		return fmt.Errorf("starting node %d: already running (pid %d)", id, np.cmd.Process.Pid)
	}
	cfg := p.cfgs[id]
	cfg.StartRecovering = recovering
	logf, err := os.OpenFile(p.LogPath(id), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("starting node %d: %w", id, err)
	}
	args := append(append([]string{}, p.exe[1:]...), cfg.Args()...)
	cmd := exec.Command(p.exe[0], args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(append(os.Environ(), p.env...), p.EnvOf[id]...)
	// Own process group: a Ctrl-C on the terminal reaches the harness only,
	// which then stops the nodes in order. Pdeathsig: if the harness itself is
	// killed, the kernel kills the nodes too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("starting node %d: %w", id, err)
	}
	np := &nodeProc{cmd: cmd, done: make(chan struct{})}
	p.procs[id] = np
	go func() {
		err := cmd.Wait()
		logf.Close()
		p.mu.Lock()
		np.exitErr = err
		expected := np.expected
		p.mu.Unlock()
		close(np.done)
		if !expected {
			reason := "exited"
			if err != nil {
				reason = err.Error()
			}
			p.events.Emit(cluster.Event{Node: id, Type: cluster.EvNodeExit, Reason: reason})
		}
	}()
	return nil
}

func (np *nodeProc) exited() bool {
	select {
	case <-np.done:
		return true
	default:
		return false
	}
}

// Running reports whether node id's process is alive (paused counts as alive).
func (p *Processes) Running(id int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	np := p.procs[id]
	return np != nil && !np.exited()
}

// Kill sends SIGKILL to node id and waits until it has been reaped.
func (p *Processes) Kill(id int) error {
	p.mu.Lock()
	np := p.procs[id]
	if np == nil || np.exited() {
		p.mu.Unlock()
		return fmt.Errorf("killing node %d: not running", id)
	}
	np.expected = true
	err := np.cmd.Process.Signal(syscall.SIGKILL)
	p.mu.Unlock()
	if err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("killing node %d: %w", id, err)
	}
	<-np.done
	return nil
}

// Restart starts a killed node again with the same id and port, in Recovering.
func (p *Processes) Restart(id int) error { return p.start(id, true) }

// Pause stops node id with SIGSTOP; Resume continues it with SIGCONT.
func (p *Processes) Pause(id int) error  { return p.signal(id, syscall.SIGSTOP, true) }
func (p *Processes) Resume(id int) error { return p.signal(id, syscall.SIGCONT, false) }

func (p *Processes) signal(id int, sig syscall.Signal, paused bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	np := p.procs[id]
	if np == nil || np.exited() {
		return fmt.Errorf("sending %v to node %d: not running", sig, id)
	}
	if err := np.cmd.Process.Signal(sig); err != nil {
		return fmt.Errorf("sending %v to node %d: %w", sig, id, err)
	}
	np.paused = paused
	return nil
}

// Close stops every node: it asks each to shut down cleanly with SIGTERM (so
// its events are flushed), waits up to grace, then kills what is left. It
// never returns with a node process still alive. Node last, if not 0, is
// stopped only after the others are gone: stopping the coordinator last keeps
// the others from electing a successor during the shutdown.
func (p *Processes) Close(grace time.Duration, last int) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	var first []int
	for _, id := range p.IDs() {
		if id != last {
			first = append(first, id)
		}
	}
	p.stop(ctx, first)
	p.stop(ctx, []int{last})
	return nil
}

// stop ends the given nodes at once and waits for them (SIGKILL once ctx is
// done).
func (p *Processes) stop(ctx context.Context, ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		p.mu.Lock()
		np := p.procs[id]
		if np == nil || np.exited() {
			p.mu.Unlock()
			continue
		}
		np.expected = true
		if np.paused {
			_ = np.cmd.Process.Signal(syscall.SIGCONT)
			np.paused = false
		}
		_ = np.cmd.Process.Signal(syscall.SIGTERM)
		p.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-np.done:
			case <-ctx.Done():
				_ = np.cmd.Process.Signal(syscall.SIGKILL)
				<-np.done
			}
		}()
	}
	wg.Wait()
}

// FreePorts returns n distinct loopback addresses that were free a moment ago.
func FreePorts(n int) ([]string, error) {
	addrs, release, err := holdFreePorts(n)
	release()
	return addrs, err
}

// holdFreePorts finds n free loopback addresses and keeps them bound until
// release, so that nothing in this process (the fault proxies' listeners)
// is given one of them in the meantime.
func holdFreePorts(n int) (addrs []string, release func(), err error) {
	ls := make([]net.Listener, 0, n)
	release = func() {
		for _, l := range ls {
			l.Close()
		}
	}
	addrs = make([]string, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			release()
			return nil, func() {}, fmt.Errorf("finding a free port: %w", err)
		}
		ls = append(ls, l)
		addrs = append(addrs, l.Addr().String())
	}
	return addrs, release, nil
}
