package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// client names the visitor: its address, or for IPv6 its /64, which a
// single phone or home holds whole and can draw new addresses from at will.
func (h *Handler) client(r *http.Request) string {
	addr, ok := h.clientAddr(r)
	if !ok {
		return r.RemoteAddr
	}
	if addr.Is6() {
		return netip.PrefixFrom(addr.WithZone(""), 64).Masked().String()
	}
	return addr.String()
}

// clientAddr is the visitor's address: the peer's, unless the peer is a
// trusted proxy; then the rightmost address in X-Forwarded-For that no
// trusted proxy added, since everything left of it the client wrote.
func (h *Handler) clientAddr(r *http.Request) (netip.Addr, bool) {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	client := peer.Addr().Unmap()
	if !h.trusted(client) {
		return client, true
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a hop no proxy would write: stop at the last good one
		}
		client = hop.Unmap()
		if !h.trusted(client) {
			break
		}
	}
	return client, true
}

func (h *Handler) trusted(a netip.Addr) bool {
	for _, p := range h.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
