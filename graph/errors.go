package graph

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/privacy"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/reqid"
	"github.com/rdrr-project/rdrr/internal/stats"
	"github.com/rdrr-project/rdrr/internal/store"
)

// ErrorPresenter is the one boundary where errors become GraphQL errors.
// Every error leaves with a stable extensions.code; anything not recognised
// becomes INTERNAL with a request ID and no detail: no SQL, no stack, no
// internal message. The cause is logged.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		base := graphql.DefaultErrorPresenter(ctx, err)
		cause := err.Error()
		if base.Err != nil {
			cause = base.Err.Error()
		}
		e := classify(err, base)
		out := &gqlerror.Error{Message: e.Message, Path: base.Path, Locations: base.Locations}
		ext := map[string]any{"code": string(e.Code)}
		if e.Field != "" {
			ext["field"] = e.Field
		}
		for k, v := range e.Extra {
			ext[k] = v
		}
		if e.Code == apperr.CodeInternal {
			id := reqid.From(ctx)
			ext["requestId"] = id
			what := "internal error"
			if e.Message == "database unavailable" || e.Message == "request timed out" {
				what = e.Message // safe to say, and tells the client to retry later
			}
			out.Message = what + " (request " + id + ")"
			log.ErrorContext(ctx, "internal error", "request_id", id, "path", base.Path.String(), "err", cause)
		}
		out.Extensions = ext
		return out
	}
}

// ClientError maps an error met outside the GraphQL executor (the CSV
// report) to the same client error the presenter would give.
func ClientError(err error) *apperr.Error {
	return classify(err, &gqlerror.Error{})
}

// classify maps any error to a client error.
func classify(err error, presented *gqlerror.Error) *apperr.Error {
	if e, ok := apperr.As(err); ok {
		if e.Code == apperr.CodeBadUserInput && e.Field == "" && len(presented.Path) > 0 {
			// Scalar parse errors know the value, gqlgen knows where it was.
			c := *e
			c.Field = presented.Path.String()
			return &c
		}
		return e
	}
	var (
		si *stats.InvalidError
		nf *ent.NotFoundError
		ve *ent.ValidationError
		ce *ent.ConstraintError
		ns *ent.NotSingularError
	)
	switch {
	case errors.As(err, &si):
		return apperr.Invalid(si.Field, "%s", si.Message)
	case errors.As(err, &nf):
		return apperr.NotFound()
	case errors.As(err, &ve):
		return apperr.Invalid(camel(ve.Name), "%s", validationMessage(ve))
	case errors.As(err, &ce):
		if isUniqueViolation(ce) {
			return apperr.Conflict("a record with the same unique value already exists")
		}
		return apperr.Invalid("", "the input refers to a record that does not exist")
	case errors.As(err, &ns):
		return apperr.Internal(err)
	case errors.Is(err, privacy.Deny):
		return apperr.Forbidden("")
	case errors.Is(err, context.DeadlineExceeded):
		return &apperr.Error{Code: apperr.CodeInternal, Message: "request timed out", Err: err}
	case store.Unavailable(err):
		return &apperr.Error{Code: apperr.CodeInternal, Message: "database unavailable", Err: err}
	}
	// Errors raised by gqlgen itself: parse and validation failures of the
	// document or its variables are the client's input.
	var gq *gqlerror.Error
	if errors.As(err, &gq) && gq.Err == nil {
		switch gq.Extensions["code"] {
		case errcode.ParseFailed, errcode.ValidationFailed:
			return apperr.Invalid("", "%s", gq.Message)
		}
		if strings.HasPrefix(gq.Message, "json request body could not be decoded") {
			return apperr.Invalid("", "the request body could not be decoded")
		}
		if c, ok := gq.Extensions["code"].(string); ok && isOwnCode(c) {
			e := &apperr.Error{Code: apperr.Code(c), Message: gq.Message, Extra: map[string]any{}}
			for k, v := range gq.Extensions {
				if k != "code" {
					e.Extra[k] = v
				}
			}
			return e
		}
	}
	return apperr.Internal(err)
}

func isOwnCode(c string) bool {
	switch apperr.Code(c) {
	case apperr.CodeUnauthenticated, apperr.CodeForbidden, apperr.CodeNotFound, apperr.CodeBadUserInput,
		apperr.CodeConflict, apperr.CodeTooComplex, apperr.CodeRateLimited:
		return true
	}
	return false
}

func isUniqueViolation(ce *ent.ConstraintError) bool {
	m := strings.ToLower(ce.Error())
	return strings.Contains(m, "unique") || strings.Contains(m, "duplicate key")
}

// validationMessage keeps ent's reason but not its internal prefix.
func validationMessage(ve *ent.ValidationError) string {
	msg := ve.Error()
	msg = strings.TrimPrefix(msg, "ent: ")
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "validator failed for field") {
		msg = msg[i+2:]
	}
	return "invalid " + camel(ve.Name) + ": " + msg
}

// camel turns an ent field name (given_name) into its GraphQL name (givenName).
func camel(s string) string {
	s = strings.TrimPrefix(s, "ent.")
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		s = s[i+1:]
	}
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] == "id" {
			parts[i] = "Id"
			continue
		}
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
