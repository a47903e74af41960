package api

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/labstack/echo/v4"
)

// clientAddress finds a request's client address: the direct peer, or, behind the reverse
// proxies trustedProxies lists (IP addresses or CIDR ranges), the nearest address in
// X-Forwarded-For that is not one of them.
func clientAddress(trustedProxies []string) (echo.IPExtractor, error) {
	if len(trustedProxies) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	// echo trusts every loopback, link-local and private address by default; anyone on such
	// a network could then name any address they like and escape the per-address limit.
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trustedProxies {
		r, err := ipRange(p)
		if err != nil {
			return nil, err
		}
		opts = append(opts, echo.TrustIPRange(r))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}

// ipRange parses a CIDR range, or a single address as the range of just that address.
func ipRange(s string) (*net.IPNet, error) {
	s = strings.TrimSpace(s)
	p, err := netip.ParsePrefix(s)
	if err != nil {
		a, aerr := netip.ParseAddr(s)
		if aerr != nil {
			return nil, fmt.Errorf("trusted proxy %q is not an IP address or CIDR range", s)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	p = p.Masked()
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}, nil
}
