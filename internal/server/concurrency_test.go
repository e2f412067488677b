package server_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestConcurrentWritersLoseNothing: many writers, on two processes, update
// one case at once, each reading the version and retrying on CONFLICT.
// Every acknowledged update must have taken exactly one version step: no
// two writers succeed from the same version, none is lost.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		other := testenv.Start(t, s.URL, w.e.SameKey())
		const writers, each = 8, 6
		read := `query($id: ID!) { node(id: $id) { ... on Returnee { version } } }`
		upd := `mutation($id: ID!, $v: Int!, $r: String!) { updateReturnee(id: $id, version: $v, input: {region: $r}) { version region } }`
		var (
			mu        sync.Mutex
			acked     = map[int]string{} // version -> region written
			conflicts int
			wg        sync.WaitGroup
		)
		for i := 0; i < writers; i++ {
			env := w.e
			if i%2 == 1 {
				env = other
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < each; {
					var cur struct{ Node struct{ Version int } }
					env.Query(t, w.cm, read, map[string]any{"id": w.onTeam.ID}).Decode(t, &cur)
					region := fmt.Sprintf("w%d-%d", i, j)
					r := env.Query(t, w.cm, upd, map[string]any{"id": w.onTeam.ID, "v": cur.Node.Version, "r": region})
					if len(r.Errors) > 0 {
						if r.Errors[0].Code() != "CONFLICT" {
							t.Errorf("unexpected error: %s", r.Raw)
							return
						}
						mu.Lock()
						conflicts++
						mu.Unlock()
						continue
					}
					var d struct{ UpdateReturnee struct{ Version int } }
					r.Decode(t, &d)
					mu.Lock()
					if prev, dup := acked[d.UpdateReturnee.Version]; dup {
						t.Errorf("version %d acknowledged twice (%s and %s)", d.UpdateReturnee.Version, prev, region)
					}
					acked[d.UpdateReturnee.Version] = region
					mu.Unlock()
					j++
				}
			}()
		}
		wg.Wait()
		if len(acked) != writers*each {
			t.Fatalf("%d updates acknowledged, want %d", len(acked), writers*each)
		}
		var final struct {
			Node struct {
				Version int
				Region  string
			}
		}
		w.e.Query(t, w.cm, `query($id: ID!) { node(id: $id) { ... on Returnee { version region } } }`, map[string]any{"id": w.onTeam.ID}).Decode(t, &final)
		if final.Node.Version != 1+writers*each {
			t.Errorf("final version %d, want %d: an acknowledged update was lost", final.Node.Version, 1+writers*each)
		}
		if acked[final.Node.Version] != final.Node.Region {
			t.Errorf("final region %q is not the last acknowledged write %q", final.Node.Region, acked[final.Node.Version])
		}
		t.Logf("%d updates, %d conflicts", len(acked), conflicts)
	})
}
