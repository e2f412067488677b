package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/intervention"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestCrashLosesNoAcknowledgedWrite runs the real binary under a sustained
// write load, kills it with SIGKILL, restarts it, and checks that every
// write acknowledged to a client is there and the audit chain verifies.
func TestCrashLosesNoAcknowledgedWrite(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "rdrr")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building: %v\n%s", err, out)
	}
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		keyFile := filepath.Join(t.TempDir(), "dev.key")
		// A server to set up the world, then stopped.
		env := testenv.Start(t, s.URL, func(c *server.Config) { c.DevKeyFile = keyFile })
		gov := env.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
		env.User(t, "cm@gov-kz.example", gov, domain.RoleCaseManager)
		ret := env.Case(t, gov, testenv.CaseOpts{})
		tok := env.Token(t, "cm@gov-kz.example")
		providerOf[string(ret.ID)] = string(gov.ID)

		start := func() (*exec.Cmd, string) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := l.Addr().String()
			l.Close()
			cmd := exec.Command(bin, "serve", "--db", s.URL, "--addr", addr, "--dev-key-file", keyFile, "--rate-limits=false")
			cmd.Stdout, cmd.Stderr = nil, nil
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 100; i++ {
				if c, err := net.Dial("tcp", addr); err == nil {
					c.Close()
					return cmd, "http://" + addr
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Fatal("server did not start")
			return nil, ""
		}
		cmd, url := start()
		var (
			mu    sync.Mutex
			acked []string
			wg    sync.WaitGroup
			stop  = make(chan struct{})
		)
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; ; j++ {
					select {
					case <-stop:
						return
					default:
					}
					id, err := createIntervention(url, tok, string(ret.ID), fmt.Sprintf("job %d-%d", i, j))
					if err != nil {
						continue // in flight when killed: not acknowledged
					}
					mu.Lock()
					acked = append(acked, id)
					mu.Unlock()
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		close(stop)
		wg.Wait()
		if len(acked) < 10 {
			t.Fatalf("only %d writes acknowledged before the kill", len(acked))
		}
		cmd2, _ := start()
		defer func() { _ = cmd2.Process.Signal(os.Interrupt); _ = cmd2.Wait() }()

		ctx := viewer.SystemContext(context.Background())
		st, err := store.Open(ctx, s.URL, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		ids := make([]gid.ID, len(acked))
		for i, a := range acked {
			ids[i] = gid.ID(a)
		}
		n, err := st.Client.Intervention.Query().Where(intervention.IDIn(ids...)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != len(acked) {
			t.Errorf("%d of %d acknowledged writes survived the crash", n, len(acked))
		}
		rep, err := audit.Verify(ctx, st.Client)
		if err != nil || !rep.OK() {
			t.Errorf("audit chain after the crash: %v %s", err, rep)
		}
		t.Logf("%d acknowledged writes, all present; %s", len(acked), rep)
	})
}

// createIntervention writes one intervention and returns its ID once the
// server acknowledged it.
func createIntervention(url, token, returnee, desc string) (string, error) {
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($r: ID!, $p: ID!, $d: String) { createIntervention(input: {returneeId: $r, type: EMPLOYMENT, providerId: $p, description: $d}) { id } }`,
		"variables": map[string]any{"r": returnee, "p": providerOf[returnee], "d": desc},
	})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			CreateIntervention struct{ ID string }
		}
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", err
	}
	if len(out.Errors) > 0 || out.Data.CreateIntervention.ID == "" {
		return "", fmt.Errorf("not acknowledged: %v", out.Errors)
	}
	return out.Data.CreateIntervention.ID, nil
}

// providerOf maps a returnee to the organisation providing its services in
// this test.
var providerOf = map[string]string{}
