package gid

import (
	"strings"
	"testing"
)

func TestNewParses(t *testing.T) {
	for _, p := range []string{"ret", "org", "a"} {
		id := New(p)
		got, prefix, err := Parse(string(id))
		if err != nil || got != id || prefix != p {
			t.Errorf("Parse(%q) = %q, %q, %v", id, got, prefix, err)
		}
	}
	if New("ret") == New("ret") {
		t.Error("two new IDs are equal")
	}
}

// FuzzParse: the ID decoder never panics, accepts only well-formed IDs,
// and what it accepts round-trips.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"ret_0j5x3m8q9w2c4v6b7n1k0p2r3s", "", "_", "ret_", "RET_0j5x3m8q9w2c4v6b7n1k0p2r3s",
		"ret_zzzzzzzzzzzzzzzzzzzzzzzzzz", "ret_0j5x3m8q9w2c4v6b7n1k0p2r3", "x\x00_", "ret_ü", strings.Repeat("a", 1000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, prefix, err := Parse(s)
		if err != nil {
			return
		}
		if string(id) != s || !strings.HasPrefix(s, prefix+"_") || len(s) != len(prefix)+1+randomLen {
			t.Fatalf("Parse(%q) accepted %q with prefix %q", s, id, prefix)
		}
		for _, c := range prefix {
			if c < 'a' || c > 'z' {
				t.Fatalf("prefix %q of %q has %q", prefix, s, c)
			}
		}
		if id.Prefix() != prefix {
			t.Fatalf("Prefix() = %q, Parse said %q", id.Prefix(), prefix)
		}
	})
}
