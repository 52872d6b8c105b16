package pki

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// File names in a credentials directory.
const (
	CAFile    = "ca.pem"
	CAKeyFile = "ca-key.pem"
)

// DefaultName is the name of the client and control identities Generate
// makes unless told otherwise.
const DefaultName = "default"

// DefaultValidity is how long Generate's certificates are valid.
const DefaultValidity = 365 * 24 * time.Hour

// Options say what Generate writes.
type Options struct {
	Nodes    int           // node-1 … node-Nodes; 1..255
	Client   string        // name of the client identity; "": DefaultName
	Control  string        // name of the control identity; "": DefaultName
	Validity time.Duration // 0: DefaultValidity
	Force    bool          // overwrite existing files
	Now      time.Time     // zero: time.Now()
}

// Stem is the file-name stem of id's certificate (stem.pem) and key
// (stem-key.pem): node-N, client or control.
func Stem(id Identity) string {
	if id.Role == RoleNode {
		return "node-" + id.Name
	}
	return string(id.Role)
}

// Generate writes a new CA and a certificate and key for every node, a
// client and a control client into dir (created with mode 0700). It refuses
// to overwrite any file, checked before anything is written, unless
// opts.Force. It returns the paths written.
func Generate(dir string, opts Options) ([]string, error) {
	if opts.Nodes < 1 || opts.Nodes > maxNode {
		return nil, fmt.Errorf("%w: nodes must be in 1..%d, got %d", ErrCredentials, maxNode, opts.Nodes)
	}
	opts.Client = cmpOr(opts.Client, DefaultName)
	opts.Control = cmpOr(opts.Control, DefaultName)
	if opts.Validity <= 0 {
		opts.Validity = DefaultValidity
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	ids := []Identity{Client(opts.Client), Control(opts.Control)}
	for n := 1; n <= opts.Nodes; n++ {
		ids = append(ids, Node(n))
	}
	for _, id := range ids {
		if err := id.Validate(); err != nil {
			return nil, err
		}
	}
	files := []string{CAFile, CAKeyFile}
	for _, id := range ids {
		files = append(files, Stem(id)+".pem", Stem(id)+"-key.pem")
	}
	if !opts.Force {
		for _, f := range files {
			if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
				return nil, fmt.Errorf("%w: %s (give --force to replace the credentials in %s)", ErrExists, filepath.Join(dir, f), dir)
			}
		}
	}
	ca, err := NewCA(opts.Now, opts.Validity)
	if err != nil {
		return nil, err
	}
	caKey, err := ca.KeyPEM()
	if err != nil {
		return nil, err
	}
	contents := map[string][]byte{CAFile: ca.CertPEM(), CAKeyFile: caKey}
	for _, id := range ids {
		cert, key, err := ca.Issue(id, opts.Now, opts.Validity)
		if err != nil {
			return nil, err
		}
		contents[Stem(id)+".pem"], contents[Stem(id)+"-key.pem"] = cert, key
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("%w: creating %s: %w", ErrCredentials, dir, err)
	}
	var written []string
	for _, f := range files {
		mode := fs.FileMode(0o644)
		if strings.HasSuffix(f, "-key.pem") {
			mode = 0o600
		}
		path := filepath.Join(dir, f)
		if err := writeFile(path, contents[f], mode, opts.Force); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}

// writeFile creates path with mode (exclusively unless force) and makes sure
// an overwritten file ends with mode too.
func writeFile(path string, data []byte, mode fs.FileMode, force bool) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, mode)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: %s", ErrExists, path)
	}
	if err != nil {
		return fmt.Errorf("%w: writing %s: %w", ErrCredentials, path, err)
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return fmt.Errorf("%w: setting the mode of %s: %w", ErrCredentials, path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("%w: writing %s: %w", ErrCredentials, path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%w: writing %s: %w", ErrCredentials, path, err)
	}
	return nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Credentials are what one party presents and trusts: its certificate and
// key, the identity the certificate carries, and the cluster CA.
type Credentials struct {
	Identity Identity
	Cert     tls.Certificate
	Roots    *x509.CertPool
}

// Load reads the credentials of want from dir: ca.pem and the certificate
// and key named by Stem(want). The certificate must chain to the CA and
// carry want's identity (for clients and control clients: want's role, any
// name), and the key must not be readable by group or others.
func Load(dir string, want Identity) (*Credentials, error) {
	stem := Stem(want)
	caPEM, err := os.ReadFile(filepath.Join(dir, CAFile))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the cluster CA: %w", ErrCredentials, err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("%w: %s holds no PEM certificate", ErrCredentials, filepath.Join(dir, CAFile))
	}
	certPath, keyPath := filepath.Join(dir, stem+".pem"), filepath.Join(dir, stem+"-key.pem")
	if err := checkPrivate(keyPath); err != nil {
		return nil, err
	}
	pair, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return nil, fmt.Errorf("%w: loading %s and its key: %w", ErrCredentials, certPath, err)
	}
	leaf := pair.Leaf
	usage := x509.ExtKeyUsageClientAuth
	if want.Role == RoleNode {
		usage = x509.ExtKeyUsageServerAuth
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{usage}}); err != nil {
		return nil, fmt.Errorf("%w: %s is not a %s certificate of the CA in %s: %w", ErrCredentials, certPath, want.Role, CAFile, err)
	}
	id, err := IdentityOf(leaf)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", certPath, err)
	}
	if id.Role != want.Role || want.Role == RoleNode && id != want {
		return nil, fmt.Errorf("%w: %s carries %s, want %s", ErrIdentity, certPath, id, want)
	}
	return &Credentials{Identity: id, Cert: pair, Roots: roots}, nil
}

// checkPrivate refuses a key file that group or others may read.
func checkPrivate(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCredentials, err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%w: key %s has mode %04o: others can read it (chmod 600 %s)", ErrCredentials, path, perm, path)
	}
	return nil
}

// LoadNode is Load for node id's credentials.
func LoadNode(dir string, id int) (*Credentials, error) { return Load(dir, Node(id)) }

// LoadClient is Load for the client credentials (client.pem), whatever
// name their identity carries.
func LoadClient(dir string) (*Credentials, error) { return Load(dir, Client(DefaultName)) }

// LoadControl is Load for the control credentials (control.pem), whatever
// name their identity carries.
func LoadControl(dir string) (*Credentials, error) { return Load(dir, Control(DefaultName)) }
