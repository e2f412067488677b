//go:build unix

package store

import (
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// sharedGeneration maps the first 8 bytes of the file at path, created if
// missing, as a counter shared by every process that maps it: what the
// read snapshots of all processes on one SQLite file renew by. Like
// SQLite's -shm file it holds nothing that outlives the processes, and
// works only where SQLite's WAL works, on one machine.
func sharedGeneration(path string) (*atomic.Uint64, func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, nil, fmt.Errorf("opening the snapshot generation file: %w", err)
	}
	defer f.Close() // the mapping outlives the descriptor
	const size = 4096
	if fi, err := f.Stat(); err != nil {
		return nil, nil, fmt.Errorf("reading the snapshot generation file: %w", err)
	} else if fi.Size() < size {
		// Growing a file fills it with zeros and leaves what is there:
		// two processes doing it at once agree.
		if err := f.Truncate(size); err != nil {
			return nil, nil, fmt.Errorf("sizing the snapshot generation file: %w", err)
		}
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("mapping the snapshot generation file: %w", err)
	}
	gen := (*atomic.Uint64)(unsafe.Pointer(&mem[0])) // page-aligned, so 8-byte aligned
	return gen, func() { _ = syscall.Munmap(mem) }, nil
}
