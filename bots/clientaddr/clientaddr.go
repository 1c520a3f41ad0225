// Package clientaddr names who is asking, for the pages that limit
// visitors (lookups, feedback, console logins): the peer's address, or
// the one a trusted proxy forwarded, an IPv6 client as its /64.
package clientaddr

import (
	"net/http"
	"net/netip"
	"strings"
)

// Resolver reads X-Forwarded-For only from the trusted proxies
// (TRUSTED_PROXIES); from anyone else the peer's address is the client.
type Resolver struct{ Trusted []netip.Prefix }

// Client names the visitor: its address, or for IPv6 its /64, which a
// single phone or home holds whole and can draw new addresses from at will.
func (res Resolver) Client(r *http.Request) string {
	addr, ok := res.Addr(r)
	if !ok {
		return r.RemoteAddr
	}
	if addr.Is6() {
		return netip.PrefixFrom(addr.WithZone(""), 64).Masked().String()
	}
	return addr.String()
}

// Addr is the visitor's address: the peer's, unless the peer is a
// trusted proxy; then the rightmost address in X-Forwarded-For that no
// trusted proxy added, since everything left of it the client wrote.
func (res Resolver) Addr(r *http.Request) (netip.Addr, bool) {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	client := peer.Addr().Unmap()
	if !res.trusted(client) {
		return client, true
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a hop no proxy would write: stop at the last good one
		}
		client = hop.Unmap()
		if !res.trusted(client) {
			break
		}
	}
	return client, true
}

func (res Resolver) trusted(a netip.Addr) bool {
	for _, p := range res.Trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
