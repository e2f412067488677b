package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
)

// recordSetBytes is the size of an event's records JSON from which they
// are stored once in an AuditRecordSet, named by digest, instead of with
// the event (ent/schema/audit_event.go). Below it, as for most writes and
// denials, a second row would cost more than the bytes it saves.
const recordSetBytes = 1024

// digestOf names a record set: the SHA-256 (hex) of its JSON.
func digestOf(records json.RawMessage) string {
	h := sha256.Sum256(records)
	return hex.EncodeToString(h[:])
}

// storedSets remembers the digests of record sets known to be committed,
// so that the writer sends a set's records once, not with every event
// naming it. Sets are never deleted, so a digest once stored stays stored;
// one this process does not know (another process's) is sent again and
// ignored by the database (ON CONFLICT DO NOTHING).
type storedSets struct {
	mu sync.Mutex
	m  map[string]struct{}
}

// maxStoredSets bounds the digests remembered (each 64 bytes): when full,
// the memory is dropped and sets are sent again once each.
const maxStoredSets = 8192

func (s *storedSets) has(digest string) bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.m[digest]
	return ok
}

// add remembers the sets of links, once their transaction committed.
func (s *storedSets) add(links []link) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range links {
		if l.digest == "" {
			continue
		}
		if s.m == nil || len(s.m) >= maxStoredSets {
			s.m = map[string]struct{}{}
		}
		s.m[l.digest] = struct{}{}
	}
}

// setsToWrite are the record sets links name that known does not hold,
// each once, as the first link naming it.
func setsToWrite(links []link, known *storedSets) []link {
	var out []link
	seen := map[string]bool{}
	for _, l := range links {
		if l.digest == "" || seen[l.digest] || known.has(l.digest) {
			continue
		}
		seen[l.digest] = true
		out = append(out, l)
	}
	return out
}
