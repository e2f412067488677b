package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/store"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

func TestAuditVerifyAndExportCommands(t *testing.T) {
	ctx := context.Background()
	url := testenv.SQLiteURL(t)
	st, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	tx, err := st.Client.Tx(viewer.SystemContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	evs := []audit.Event{
		{Kind: auditevent.KindWRITE, Decision: auditevent.DecisionALLOW, Message: "=HYPERLINK(\"http://x\")"},
		{Kind: auditevent.KindLOGIN_FAILURE, Decision: auditevent.DecisionDENY, Message: "token did not verify"},
	}
	if err := (audit.Chain{Dialect: st.Dialect}).Append(ctx, tx, evs); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"audit", "verify", "--db", url}, &out, &errOut); err != nil || !strings.Contains(out.String(), "intact: 2 events") {
		t.Fatalf("verify: %v %q", err, out.String())
	}
	out.Reset()
	day := time.Now().UTC().Format(time.DateOnly)
	tomorrow := time.Now().UTC().Add(24 * time.Hour).Format(time.DateOnly)
	if err := run(ctx, []string{"audit", "export", "--db", url, "--from", day, "--to", tomorrow}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != 3 || rows[1][2] != "WRITE" || !strings.HasPrefix(rows[1][11], "'=") {
		t.Fatalf("export: %v %q", err, rows)
	}
	// Tampering makes verify fail with a report.
	for _, q := range []string{"DROP TRIGGER audit_events_no_update", "UPDATE audit_events SET message = 'x' WHERE seq = 2"} {
		if _, err := st.DB.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	out.Reset()
	err = run(ctx, []string{"audit", "verify", "--db", url}, &out, &errOut)
	if !errors.Is(err, errBroken) || !strings.Contains(out.String(), "broken at event 2") {
		t.Errorf("verify after tampering: %v %q", err, out.String())
	}
}
