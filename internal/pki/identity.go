package pki

import (
	"crypto/x509"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Role is what an identity may do in the cluster.
type Role string

// The roles.
const (
	RoleNode    Role = "node"
	RoleClient  Role = "client"
	RoleControl Role = "control"
)

// prefix is the scheme and trust domain of every identity.
const prefix = "spiffe://stegocloud/"

// maxName bounds an identity's name; maxNode is the highest node id.
const (
	maxName = 64
	maxNode = 255
)

// Identity is who a certificate speaks for.
type Identity struct {
	Role Role
	Name string // node: its id in decimal
}

// Node is the identity of node id.
func Node(id int) Identity { return Identity{Role: RoleNode, Name: strconv.Itoa(id)} }

// Client is the identity of a client called name.
func Client(name string) Identity { return Identity{Role: RoleClient, Name: name} }

// Control is the identity of a control client called name.
func Control(name string) Identity { return Identity{Role: RoleControl, Name: name} }

// String is the identity's URI, spiffe://stegocloud/ROLE/NAME.
func (i Identity) String() string { return prefix + string(i.Role) + "/" + i.Name }

// NodeID is the node's id, or false for an identity that is not a node's.
func (i Identity) NodeID() (int, bool) {
	if i.Role != RoleNode {
		return 0, false
	}
	id, err := strconv.Atoi(i.Name)
	return id, err == nil
}

// Validate checks the role and the name's spelling.
func (i Identity) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrIdentity, i.String(), fmt.Sprintf(format, a...))
	}
	switch i.Role {
	case RoleNode:
		id, err := strconv.Atoi(i.Name)
		if err != nil || id < 1 || id > maxNode || strconv.Itoa(id) != i.Name {
			return bad("a node's name is its id, 1..%d without leading zeros", maxNode)
		}
		return nil
	case RoleClient, RoleControl:
		if len(i.Name) < 1 || len(i.Name) > maxName {
			return bad("name must be 1..%d characters", maxName)
		}
		for _, r := range i.Name {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
				return bad("name may hold only letters, digits, '.', '_' and '-'")
			}
		}
		return nil
	}
	return bad("role must be node, client or control")
}

// ParseIdentity reads the canonical text of an identity; any other spelling
// of it (case, escapes, extra parts, a query) is refused.
func ParseIdentity(s string) (Identity, error) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return Identity{}, fmt.Errorf("%w: %.80q does not start with %s", ErrIdentity, s, prefix)
	}
	role, name, ok := strings.Cut(rest, "/")
	if !ok {
		return Identity{}, fmt.Errorf("%w: %.80q: want %sROLE/NAME", ErrIdentity, s, prefix)
	}
	id := Identity{Role: Role(role), Name: name}
	if err := id.Validate(); err != nil {
		return Identity{}, err
	}
	return id, nil
}

// URI is the identity as a certificate's URI SAN.
func (i Identity) URI() *url.URL {
	return &url.URL{Scheme: "spiffe", Host: "stegocloud", Path: "/" + string(i.Role) + "/" + i.Name}
}

// IdentityOf reads the one identity a certificate carries. A certificate with
// no stegocloud URI, or more than one, has no identity.
func IdentityOf(cert *x509.Certificate) (Identity, error) {
	var found []Identity
	for _, u := range cert.URIs {
		s := u.String()
		if !strings.HasPrefix(s, prefix) {
			continue
		}
		id, err := ParseIdentity(s)
		if err != nil {
			return Identity{}, fmt.Errorf("certificate %q: %w", cert.Subject.CommonName, err)
		}
		found = append(found, id)
	}
	if len(found) != 1 {
		return Identity{}, fmt.Errorf("%w: certificate %q carries %d stegocloud identities, want 1",
			ErrIdentity, cert.Subject.CommonName, len(found))
	}
	return found[0], nil
}
