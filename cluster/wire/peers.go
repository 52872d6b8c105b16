package wire

import (
	"flag"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
)

// Peers maps node ids to their host:port. It is a flag.Value in the form
// "1=127.0.0.1:7001,2=127.0.0.1:7002".
type Peers map[int]string

// ParsePeers parses the "id=host:port,…" form; an empty string is no peers.
func ParsePeers(s string) (Peers, error) {
	p := Peers{}
	if strings.TrimSpace(s) == "" {
		return p, nil
	}
	for _, item := range strings.Split(s, ",") {
		idText, addr, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return nil, fmt.Errorf("peer %q: want id=host:port", item)
		}
		id, err := strconv.Atoi(idText)
		if err != nil || id < 1 || id > MaxNodeID {
			return nil, fmt.Errorf("peer %q: id must be an integer in 1..%d", item, MaxNodeID)
		}
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return nil, fmt.Errorf("peer %q: address: %v", item, err)
		}
		if _, dup := p[id]; dup {
			return nil, fmt.Errorf("peer %q: id %d given twice", item, id)
		}
		p[id] = addr
	}
	return p, nil
}

// IDs returns the ids in increasing order.
func (p Peers) IDs() []int {
	ids := make([]int, 0, len(p))
	for id := range p {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// String is the flag form, ids in increasing order.
func (p Peers) String() string {
	parts := make([]string, 0, len(p))
	for _, id := range p.IDs() {
		parts = append(parts, fmt.Sprintf("%d=%s", id, p[id]))
	}
	return strings.Join(parts, ",")
}

// Flag returns *p as a flag.Value: setting the flag replaces the whole map.
func (p *Peers) Flag() flag.Value { return peersFlag{p} }

type peersFlag struct{ p *Peers }

func (f peersFlag) String() string {
	if f.p == nil {
		return ""
	}
	return f.p.String()
}

func (f peersFlag) Set(s string) error {
	p, err := ParsePeers(s)
	if err != nil {
		return err
	}
	*f.p = p
	return nil
}
