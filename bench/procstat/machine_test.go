package procstat

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestStealPercentFromProcStat(t *testing.T) {
	dir := t.TempDir()
	write := func(name, cpu string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(cpu+"\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 12345\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// user nice system idle iowait irq softirq steal guest guest_nice
	before, err := readMachine(write("a", "cpu  1000 0 200 5000 50 0 10 40 7 0"))
	if err != nil {
		t.Fatal(err)
	}
	after, err := readMachine(write("b", "cpu  1400 0 300 5400 50 0 20 130 9 0"))
	if err != nil {
		t.Fatal(err)
	}
	if before.Total != 6300 || before.Steal != 40 {
		t.Fatalf("first reading = %+v, want Total 6300 Steal 40 (guest time is inside user)", before)
	}
	// 90 ticks of steal in 1000 ticks of all states.
	if got := StealPercent(before, after); math.Abs(got-9) > 1e-9 {
		t.Fatalf("StealPercent = %v, want 9", got)
	}
	if got := StealPercent(after, after); got != 0 {
		t.Fatalf("StealPercent over no time = %v, want 0", got)
	}
	if _, err := readMachine(write("c", "intr 1")); err == nil {
		t.Fatal("a file without a cpu line was accepted")
	}
	if _, err := readMachine(write("d", "cpu  1 2 x 4 5 6 7 8")); err == nil {
		t.Fatal("a malformed cpu line was accepted")
	}
}

func TestReadMachineOnThisMachine(t *testing.T) {
	m, err := ReadMachine()
	if err != nil {
		t.Fatal(err)
	}
	if m.Total <= 0 || m.Steal < 0 || m.Steal > m.Total {
		t.Fatalf("ReadMachine = %+v", m)
	}
}
