package procstat

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Machine is the machine's CPU time so far by state, from the aggregate
// "cpu" line of /proc/stat, in ticks summed over all CPUs.
type Machine struct {
	Total int64 // every state: user, nice, system, idle, iowait, irq, softirq, steal
	Steal int64 // time the hypervisor ran something else while this VM wanted the CPU
}

// ReadMachine reads /proc/stat.
func ReadMachine() (Machine, error) { return readMachine("/proc/stat") }

func readMachine(path string) (Machine, error) {
	fh, err := os.Open(path)
	if err != nil {
		return Machine{}, fmt.Errorf("reading machine CPU time: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 9 || f[0] != "cpu" {
			continue
		}
		var m Machine
		// user nice system idle iowait irq softirq steal; guest time is
		// already inside user and nice.
		for i, s := range f[1:9] {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return Machine{}, fmt.Errorf("reading machine CPU time: field %d of %q: %w", i+1, sc.Text(), err)
			}
			m.Total += v
			if i == 7 {
				m.Steal = v
			}
		}
		return m, nil
	}
	if err := sc.Err(); err != nil {
		return Machine{}, fmt.Errorf("reading machine CPU time: %w", err)
	}
	return Machine{}, fmt.Errorf("reading machine CPU time: no cpu line in %s", path)
}

// StealPercent is the share of all CPU time between two readings that the
// hypervisor took for others: a run with much of it measured a slower
// machine than its neighbours did, whatever the software under test.
func StealPercent(from, to Machine) float64 {
	total := to.Total - from.Total
	if total <= 0 {
		return 0
	}
	return 100 * float64(to.Steal-from.Steal) / float64(total)
}
