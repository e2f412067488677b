// Package apperr defines the errors rdrr shows to clients. Code anywhere may
// return one (or wrap one); the GraphQL error presenter is the single place
// that turns errors into responses, and anything that is not an *Error there
// becomes INTERNAL with no detail.
package apperr

import (
	"errors"
	"fmt"
)

// Code is a stable machine-readable error code, sent as extensions.code.
type Code string

// The codes of DEVELOPERS.md. Integrators match on these; never rename one.
const (
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeNotFound        Code = "NOT_FOUND"
	CodeBadUserInput    Code = "BAD_USER_INPUT"
	CodeConflict        Code = "CONFLICT"
	CodeTooComplex      Code = "QUERY_TOO_COMPLEX"
	CodeRateLimited     Code = "RATE_LIMITED"
	CodeInternal        Code = "INTERNAL"
)

// Error is an error meant for the client.
type Error struct {
	Code    Code
	Message string         // safe to show
	Field   string         // offending input field, for BAD_USER_INPUT
	Extra   map[string]any // further extensions (limit, cost, retryAfter...)
	Err     error          // cause, for logs only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsCode reports whether err carries code c.
func IsCode(err error, c Code) bool {
	e, ok := As(err)
	return ok && e.Code == c
}

// Invalid reports bad input in field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeBadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound is the answer for an object that does not exist or that the
// viewer may not see: the two must look the same.
func NotFound() *Error {
	return &Error{Code: CodeNotFound, Message: "not found"}
}

// Forbidden reports an action or field the viewer may not use.
func Forbidden(message string) *Error {
	if message == "" {
		message = "not permitted"
	}
	return &Error{Code: CodeForbidden, Message: message}
}

// Conflict reports a stale version or a duplicate.
func Conflict(format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Message: fmt.Sprintf(format, args...)}
}

// Unauthenticated reports a missing or invalid credential.
func Unauthenticated(message string) *Error {
	return &Error{Code: CodeUnauthenticated, Message: message}
}

// Internal wraps an unexpected failure; its cause is logged, never shown.
func Internal(err error) *Error {
	return &Error{Code: CodeInternal, Message: "internal error", Err: err}
}

// With returns a copy of e with extension k set to v.
func (e *Error) With(k string, v any) *Error {
	c := *e
	c.Extra = make(map[string]any, len(e.Extra)+1)
	for kk, vv := range e.Extra {
		c.Extra[kk] = vv
	}
	c.Extra[k] = v
	return &c
}
