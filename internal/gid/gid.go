// Package gid implements rdrr's global object identifiers.
//
// An ID is a short type prefix, an underscore and 26 characters of Crockford
// base32 encoding 128 random bits, for example "ret_0j5x3m8q9w2c4v6b7n1k0p2r3s".
// IDs are the primary keys in the database and the Relay global IDs in the
// API at once, so there is no translation layer to get wrong. They are not
// sequential and not guessable; the prefix lets node(id:) find the table
// without a lookup and lets us reject an ID of the wrong type early.
// Clients must treat IDs as opaque strings.
package gid

import (
	"crypto/rand"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ID is a prefixed random identifier.
type ID string

// ErrMalformed is returned for strings that are not well-formed IDs.
var ErrMalformed = errors.New("malformed id")

const (
	randomLen = 26 // 128 bits in base32, rounded up to whole characters
	alphabet  = "0123456789abcdefghjkmnpqrstvwxyz"
)

var decode [256]int8

func init() {
	for i := range decode {
		decode[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		decode[alphabet[i]] = int8(i)
	}
}

// Source supplies the random bytes behind new IDs. The default is
// crypto/rand; the demo seeder installs a deterministic source.
type Source func(p []byte)

func cryptoSource(p []byte) {
	if _, err := io.ReadFull(rand.Reader, p); err != nil {
		panic(fmt.Errorf("gid: reading randomness: %w", err))
	}
}

// New returns a fresh ID with the given prefix, drawn from crypto/rand.
func New(prefix string) ID { return NewFrom(prefix, cryptoSource) }

// NewFrom returns a fresh ID with the given prefix, drawn from src.
func NewFrom(prefix string, src Source) ID {
	var b [16]byte
	src(b[:])
	return ID(prefix + "_" + encode(b))
}

func encode(b [16]byte) string {
	// 128 bits -> 26 characters of 5 bits; the first character carries 3 bits.
	var out [randomLen]byte
	var acc uint64
	hi := uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
		uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
	lo := uint64(b[8])<<56 | uint64(b[9])<<48 | uint64(b[10])<<40 | uint64(b[11])<<32 |
		uint64(b[12])<<24 | uint64(b[13])<<16 | uint64(b[14])<<8 | uint64(b[15])
	for i := randomLen - 1; i >= 0; i-- {
		acc = lo & 31
		out[i] = alphabet[acc]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out[:])
}

// Parse checks that s is a well-formed ID and returns it with its prefix.
// It does not say whether the ID exists.
func Parse(s string) (ID, string, error) {
	i := strings.IndexByte(s, '_')
	if i < 1 || i > 8 || len(s) != i+1+randomLen {
		return "", "", ErrMalformed
	}
	for j := 0; j < i; j++ {
		if c := s[j]; c < 'a' || c > 'z' {
			return "", "", ErrMalformed
		}
	}
	if decode[s[i+1]] < 0 || decode[s[i+1]] > 7 { // first character holds 3 bits
		return "", "", ErrMalformed
	}
	for j := i + 2; j < len(s); j++ {
		if decode[s[j]] < 0 {
			return "", "", ErrMalformed
		}
	}
	return ID(s), s[:i], nil
}

// Prefix returns the type prefix of a well-formed ID, or "".
func (id ID) Prefix() string {
	if i := strings.IndexByte(string(id), '_'); i > 0 {
		return string(id[:i])
	}
	return ""
}

// String returns the ID as a string.
func (id ID) String() string { return string(id) }

// MarshalGQL writes the ID as a GraphQL string.
func (id ID) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(id))) }

// UnmarshalGQL accepts a GraphQL string. Malformed IDs are accepted here and
// rejected by the resolvers, so that "malformed" and "unknown" answer alike.
// GraphQL's ID also accepts integers; they are kept as their decimal text
// and, like any malformed ID, found nowhere.
func (id *ID) UnmarshalGQL(v any) error {
	switch x := v.(type) {
	case string:
		*id = ID(x)
	case ID:
		*id = x
	case int64, int, json.Number:
		*id = ID(fmt.Sprint(x))
	default:
		return fmt.Errorf("id must be a string")
	}
	return nil
}

// Scan implements sql.Scanner.
func (id *ID) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*id = ID(v)
	case []byte:
		*id = ID(string(v))
	case nil:
		*id = ""
	default:
		return fmt.Errorf("gid: cannot scan %T", src)
	}
	return nil
}

// Value implements driver.Valuer.
func (id ID) Value() (driver.Value, error) { return string(id), nil }
