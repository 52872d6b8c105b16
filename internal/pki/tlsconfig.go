package pki

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
)

// ServerConfig is a node's listening side: TLS 1.3, a client certificate
// signed by the cluster CA required, and an identity in it required. What
// that identity may do is the caller's decision, after the handshake (see
// PeerIdentity).
func (c *Credentials) ServerConfig() *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{c.Cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    c.Roots,
		// VerifyConnection, not VerifyPeerCertificate: it also runs when a
		// session is resumed.
		VerifyConnection: func(cs tls.ConnectionState) error {
			_, err := PeerIdentity(cs)
			return err
		},
	}
}

// ClientConfig is the dialling side: TLS 1.3, this party's certificate, and
// a server that proves a node identity signed by the cluster CA which
// accept approves (nil: any node).
func (c *Credentials) ClientConfig(accept func(Identity) error) *tls.Config {
	roots := c.Roots
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{c.Cert},
		RootCAs:      roots,
		// The certificates name no host (the identity is the name), so the
		// standard host-name check cannot apply; the chain and the identity
		// are checked below instead, on full and resumed handshakes alike.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			id, err := verifyServer(cs, roots)
			if err != nil {
				return err
			}
			if accept != nil {
				return accept(id)
			}
			return nil
		},
	}
}

// ExpectNode accepts only node id's identity: a dialler that meant to reach
// node 2 refuses a server that proves to be node 3.
func ExpectNode(id int) func(Identity) error {
	want := Node(id)
	return func(got Identity) error {
		if got != want {
			return fmt.Errorf("%w: dialled %s, the server is %s", ErrIdentity, want, got)
		}
		return nil
	}
}

// PeerIdentity is the identity proven by the other side of a finished
// handshake whose chain the TLS stack verified (a node's server side).
func PeerIdentity(cs tls.ConnectionState) (Identity, error) {
	if len(cs.VerifiedChains) == 0 || len(cs.VerifiedChains[0]) == 0 {
		return Identity{}, fmt.Errorf("%w: no verified certificate", ErrIdentity)
	}
	return IdentityOf(cs.VerifiedChains[0][0])
}

// verifyServer checks the server's chain against roots, for server use,
// and returns its node identity.
func verifyServer(cs tls.ConnectionState, roots *x509.CertPool) (Identity, error) {
	if len(cs.PeerCertificates) == 0 {
		return Identity{}, errors.New("server sent no certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	leaf := cs.PeerCertificates[0]
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
		return Identity{}, fmt.Errorf("server certificate: %w", err)
	}
	id, err := IdentityOf(leaf)
	if err != nil {
		return Identity{}, err
	}
	if id.Role != RoleNode {
		return Identity{}, fmt.Errorf("%w: the server is %s, not a node", ErrIdentity, id)
	}
	return id, nil
}
