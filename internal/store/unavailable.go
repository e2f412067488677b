package store

import (
	sqldriver "database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err means the database could not be reached
// (refused, reset, closed, timed out connecting), as opposed to a query
// that failed. Callers answer it with "database unavailable".
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var (
		op *net.OpError
		ce *pgconn.ConnectError
	)
	switch {
	case errors.Is(err, sqldriver.ErrBadConn), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.As(err, &op), errors.As(err, &ce), pgconn.SafeToRetry(err):
		return true
	}
	m := err.Error()
	for _, s := range []string{"connection refused", "connection reset", "broken pipe", "conn closed", "unexpected EOF", "failed to connect", "server closed the connection"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}
