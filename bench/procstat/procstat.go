// Package procstat measures the CPU time and resident memory of a process
// and its descendants from /proc (Linux), so the benchmark suite can report
// what a server (rdrr, PostGraphile and its workers, PostgreSQL and its
// backends) used while it was under load.
package procstat

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ticksPerSecond is USER_HZ, the unit of utime and stime in /proc/PID/stat.
// It is 100 on every Linux build that matters (and Go cannot read
// sysconf(_SC_CLK_TCK) without cgo).
const ticksPerSecond = 100

// Usage is what a process tree used during a window.
type Usage struct {
	CPUSeconds float64       // user + system time of the tree
	Wall       time.Duration // length of the window
	MaxRSS     int64         // largest sum of VmRSS over the tree seen at any sample, bytes
	HWM        int64         // VmHWM (peak RSS since start) of the root at the end, bytes
}

// CPUPercent is CPU time over wall time, in percent of one core.
func (u Usage) CPUPercent() float64 {
	if u.Wall <= 0 {
		return 0
	}
	return 100 * u.CPUSeconds / u.Wall.Seconds()
}

// Sampler follows a process tree. Start it, Mark the start of the window
// to measure CPU over, and Stop it at the end.
type Sampler struct {
	root     int
	interval time.Duration

	mu       sync.Mutex
	base     map[int]int64 // ticks per PID at Mark (0 for PIDs born later)
	last     map[int]int64 // latest ticks seen per PID
	marked   time.Time
	maxRSS   int64
	stop     context.CancelFunc
	done     chan struct{}
	stopped  time.Time
	finalHWM int64
}

// Start samples the tree under root every interval until Stop.
func Start(root int, interval time.Duration) *Sampler {
	s := &Sampler{root: root, interval: interval, last: map[int]int64{}, done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	s.sample()
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s
}

// Mark starts the CPU window now (after a warm-up, say).
func (s *Sampler) Mark() {
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.base = make(map[int]int64, len(s.last))
	for pid, t := range s.last {
		s.base[pid] = t
	}
	s.marked = time.Now()
}

// Stop ends the window and returns the usage. CPU is counted from Mark
// (from Start when Mark was not called).
func (s *Sampler) Stop() Usage {
	s.sample()
	s.stop()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	u := Usage{MaxRSS: s.maxRSS, HWM: hwm(s.root)}
	if s.marked.IsZero() {
		return u
	}
	u.Wall = time.Since(s.marked)
	var ticks int64
	for pid, t := range s.last {
		ticks += t - s.base[pid] // PIDs born after Mark count from 0
	}
	u.CPUSeconds = float64(ticks) / ticksPerSecond
	return u
}

func (s *Sampler) sample() {
	pids := Tree(s.root)
	var rss int64
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, pid := range pids {
		if t, err := cpuTicks(pid); err == nil {
			s.last[pid] = t
		}
		rss += status(pid, "VmRSS:")
	}
	if rss > s.maxRSS {
		s.maxRSS = rss
	}
}

// Tree returns root and its descendants (root alone when /proc cannot be
// listed).
func Tree(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return []int{root}
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp, err := ppid(pid); err == nil {
			children[pp] = append(children[pp], pid)
		}
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// statFields returns the fields of /proc/PID/stat after the command name
// (which may contain spaces and parentheses): field 3 (state) is [0].
func statFields(pid int) ([]string, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, fmt.Errorf("malformed stat of %d", pid)
	}
	return strings.Fields(string(b[i+1:])), nil
}

func ppid(pid int) (int, error) {
	f, err := statFields(pid)
	if err != nil || len(f) < 2 {
		return 0, fmt.Errorf("stat of %d: %v", pid, err)
	}
	return strconv.Atoi(f[1])
}

// cpuTicks is utime + stime (fields 14 and 15).
func cpuTicks(pid int) (int64, error) {
	f, err := statFields(pid)
	if err != nil || len(f) < 13 {
		return 0, fmt.Errorf("stat of %d: %v", pid, err)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("stat of %d: bad times", pid)
	}
	return u + st, nil
}

// status returns a "kB" line of /proc/PID/status in bytes (0 if absent).
func status(pid int, key string) int64 {
	fh, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

func hwm(pid int) int64 { return status(pid, "VmHWM:") }

// Self is the PID of this process, for measuring the load driver.
func Self() int { return os.Getpid() }
