package webhook

import (
	"context"
	"errors"
	"net/netip"
	"testing"
)

func TestGuardRefusesInternalAddresses(t *testing.T) {
	g := Guard{}
	for _, u := range []string{
		"https://127.0.0.1/hook", "https://localhost/hook", "https://10.1.2.3/h", "https://192.168.0.10/h",
		"https://172.20.0.1/h", "https://169.254.169.254/latest/meta-data", "https://[::1]/h", "https://[fe80::1]/h",
		"https://[fd00::1]/h", "https://0.0.0.0/h", "https://100.64.0.1/h", "https://[::ffff:127.0.0.1]/h",
	} {
		err := g.CheckURL(context.Background(), u)
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s: %v, want refused as a forbidden address", u, err)
		}
	}
	for _, u := range []string{"ftp://example.org/h", "http://93.184.215.14/h", "https://user:pw@93.184.215.14/h", "/relative", "https://"} {
		if err := g.CheckURL(context.Background(), u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	if err := g.CheckURL(context.Background(), "https://93.184.215.14/hook"); err != nil {
		t.Errorf("public HTTPS refused: %v", err)
	}
	open := Guard{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
	if err := open.CheckURL(context.Background(), "http://127.0.0.1:8080/hook"); err != nil {
		t.Errorf("allow-listed loopback refused: %v", err)
	}
	if err := open.CheckURL(context.Background(), "https://10.0.0.1/hook"); err == nil {
		t.Error("allow-listing one host opened another")
	}
}
