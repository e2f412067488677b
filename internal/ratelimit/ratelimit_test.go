package ratelimit

import (
	"testing"
	"time"
)

func TestBurstThenRefuseWithRetryAfter(t *testing.T) {
	l := New(Limits{PerUser: 2, PerUserBurst: 3}, nil)
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow(User, "u1"); !ok {
			t.Fatalf("request %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow(User, "u1")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("4th request: ok=%v wait=%s, want refused with a wait of at most 1s", ok, wait)
	}
	if ok, _ := l.Allow(User, "u2"); !ok {
		t.Error("another user is limited by u1's use")
	}
}

func TestProcessesShareTheLimit(t *testing.T) {
	peers := 1
	l := New(Limits{PerOrg: 10, PerOrgBurst: 10}, func() int { return peers })
	n := 0
	for i := 0; i < 20; i++ {
		if ok, _ := l.Allow(Org, "o"); ok {
			n++
		}
	}
	if n != 10 {
		t.Fatalf("one process allowed %d of a burst of 10", n)
	}
	peers = 2
	n = 0
	for i := 0; i < 20; i++ {
		if ok, _ := l.Allow(Org, "o"); ok {
			n++
		}
	}
	if n != 5 {
		t.Errorf("each of two processes allowed %d, want 5 (half of 10)", n)
	}
}
