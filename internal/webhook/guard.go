// Package webhook delivers referral events to organisations' HTTPS
// endpoints: signed with HMAC-SHA256, retried with backoff, logged, and
// never sent to the deployment's own network (SSRF) unless allowed.
package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// ErrForbiddenAddress is returned for endpoints on addresses webhooks may
// not reach.
var ErrForbiddenAddress = errors.New("webhook address not allowed")

// Guard decides which endpoints webhooks may call. By default only public
// addresses over HTTPS; Allow lists networks (or single hosts as /32) a
// deployment opens, e.g. an integration server on the internal network.
type Guard struct {
	Allow    []netip.Prefix
	Resolver *net.Resolver
}

// forbidden are networks no webhook reaches unless allowed: loopback,
// private, link-local (incl. cloud metadata 169.254.169.254), carrier-grade
// NAT, unspecified, multicast, documentation and IPv6 equivalents.
var forbidden = mustPrefixes(
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
	"192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
	"224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "fc00::/7", "fe80::/10", "ff00::/8",
)

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func (g Guard) allowed(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range g.Allow {
		if p.Contains(ip) {
			return true
		}
	}
	for _, p := range forbidden {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// CheckURL validates an endpoint when it is registered: absolute HTTPS (or
// HTTP to an allowed network), no credentials, and every address its host
// resolves to allowed.
func (g Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("not an absolute URL")
	}
	if u.User != nil {
		return fmt.Errorf("credentials in the URL are not allowed")
	}
	if u.Fragment != "" {
		return fmt.Errorf("fragments are not allowed")
	}
	ips, err := g.resolve(ctx, u.Hostname())
	if err != nil {
		return err
	}
	plainOK := true
	for _, ip := range ips {
		if !g.allowed(ip) {
			return fmt.Errorf("%w: %s resolves to %s", ErrForbiddenAddress, u.Hostname(), ip)
		}
		if !g.explicitlyAllowed(ip) {
			plainOK = false
		}
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !plainOK {
			return fmt.Errorf("webhooks must use https")
		}
	default:
		return fmt.Errorf("webhooks must use https")
	}
	return nil
}

func (g Guard) explicitlyAllowed(ip netip.Addr) bool {
	for _, p := range g.Allow {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

func (g Guard) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	r := g.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return nil, fmt.Errorf("cannot resolve %s", host)
	}
	return addrs, nil
}

// DialContext connects only to allowed addresses, checking the address
// actually dialled (so a name that resolved to a public address when the
// webhook was registered cannot later be pointed inside: DNS rebinding).
func (g Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips, err := g.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	var last error = ErrForbiddenAddress
	for _, ip := range ips {
		if !g.allowed(ip) {
			continue
		}
		c, err := d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return c, nil
		}
		last = err
	}
	return nil, last
}
