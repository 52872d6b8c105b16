package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"stegocloud/cluster"
	"stegocloud/harness/experiment"
	"stegocloud/internal/pki"
)

// DirTLS is the run's credentials directory (launch: local with
// cluster.tls), made fresh for every run by pki.Generate. The CA's key is
// deleted once the certificates are issued: nobody can add a party to a
// run's cluster, and the keys left behind are trusted by no other run.
const DirTLS = "tls"

// Identity names the harness presents with cluster.tls; nodes log them.
const (
	tlsClientName  = "load"    // spiffe://stegocloud/client/load: the load's cluster clients
	tlsControlName = "harness" // spiffe://stegocloud/control/harness: status, fail
)

// runTLS is a run's TLS credentials: the directory the nodes load theirs
// from, the client identity of the load's cluster clients and the control
// identity of the harness's control calls. A nil *runTLS is a plaintext run.
type runTLS struct {
	dir     string
	client  *pki.Credentials
	control *pki.Credentials
}

// setupTLS prepares the credentials of a run of e into runDir: fresh
// certificates for nodes the harness launches, the user's (cluster.tls_dir)
// for an external cluster; nil without cluster.tls.
func setupTLS(e *experiment.Experiment, runDir string) (*runTLS, error) {
	if !e.Cluster.TLS {
		return nil, nil
	}
	dir := e.Cluster.TLSDir
	if e.Cluster.Launch == experiment.LaunchLocal {
		dir = filepath.Join(runDir, DirTLS)
		opts := pki.Options{Nodes: e.Cluster.Nodes, Client: tlsClientName, Control: tlsControlName}
		if _, err := pki.Generate(dir, opts); err != nil {
			return nil, fmt.Errorf("making the run's certificates: %w", err)
		}
		if err := os.Remove(filepath.Join(dir, pki.CAKeyFile)); err != nil {
			return nil, fmt.Errorf("making the run's certificates: %w", err)
		}
	}
	client, err := pki.LoadClient(dir)
	if err != nil {
		return nil, fmt.Errorf("cluster.tls: the load's client identity: %w", err)
	}
	control, err := pki.LoadControl(dir)
	if err != nil {
		return nil, fmt.Errorf("cluster.tls: the harness's control identity: %w", err)
	}
	return &runTLS{dir: dir, client: client, control: control}, nil
}

// controller is how the harness reaches the nodes' control port: plaintext,
// or mutual TLS as the control identity.
func (t *runTLS) controller() cluster.Control {
	if t == nil {
		return cluster.Control{}
	}
	return cluster.Control{TLS: t.control}
}

// clientCredentials are what the load's cluster clients present; nil:
// plaintext.
func (t *runTLS) clientCredentials() *pki.Credentials {
	if t == nil {
		return nil
	}
	return t.client
}

// nodeFiles is where node id of a launched cluster keeps its files: its
// state directory under nodesDir, the same one across restarts so that a
// restarted node elects above every epoch it had used (cluster.HardState),
// and the run's credentials.
func nodeFiles(nodesDir string, id int, t *runTLS) experiment.NodeFiles {
	f := experiment.NodeFiles{StateDir: filepath.Join(nodesDir, "state-"+strconv.Itoa(id))}
	if t != nil {
		f.TLSDir = t.dir
	}
	return f
}
