package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/internal/seed"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestStatisticsSeeTheDemoSeededAfterStart: serve --demo starts the server
// (whose refresher snapshots the empty database at once) and seeds after;
// the first report must count the demo world, not the empty snapshot.
func TestStatisticsSeeTheDemoSeededAfterStart(t *testing.T) {
	s := testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)}
	e := testenv.Start(t, s.URL, func(c *server.Config) { c.Statistics.MaxAge = time.Hour })
	// Wait until the refresher has snapshotted the empty database.
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := e.Store.Client.StatisticsSnapshot.Query().Count(sysCtx())
		if err == nil && n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no snapshot of the empty database after 10 s (%v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := seed.Demo(context.Background(), e.Store.Client, e.Authz, seed.Options{Returnees: 300, Dialect: e.Store.Dialect}); err != nil {
		t.Fatalf("seeding: %v", err)
	}
	res := e.Query(t, e.Token(t, "analyst@donor.example"), `{ statistics(groupBy: []) { total { values { measure value } } } }`, nil)
	var out struct {
		Statistics struct {
			Total struct {
				Values []struct {
					Measure string
					Value   *float64
				}
			}
		}
	}
	res.Decode(t, &out)
	if v := out.Statistics.Total.Values[0].Value; v == nil || *v < 250 {
		t.Fatalf("the report after seeding 300 returnees counts %v: an empty snapshot answered", v)
	}
}
