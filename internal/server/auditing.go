package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"unicode"

	"github.com/rdrr-project/rdrr/authz/identity"
	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/audit"
	"github.com/rdrr-project/rdrr/internal/reqid"
)

// PurposeHeader is the header in which clients say why they read data.
const PurposeHeader = "X-Purpose-Of-Use"

// purposeOfUse reads the declared purpose: at most 200 printable
// characters.
func purposeOfUse(r *http.Request) (string, *apperr.Error) {
	p := strings.TrimSpace(r.Header.Get(PurposeHeader))
	if len(p) > 200 {
		return "", apperr.Invalid(PurposeHeader, "%s must be at most 200 characters", PurposeHeader)
	}
	for _, c := range p {
		if !unicode.IsPrint(c) {
			return "", apperr.Invalid(PurposeHeader, "%s must be printable text", PurposeHeader)
		}
	}
	return p, nil
}

// auditLoginFailure records a refused token before the refusal is sent.
func (s *Server) auditLoginFailure(ctx context.Context, err error, purpose string) error {
	ev := audit.Event{
		Kind: auditevent.KindLOGIN_FAILURE, Decision: auditevent.DecisionDENY,
		RequestID: reqid.From(ctx), Purpose: purpose, Operation: "authenticate",
	}
	var f *identity.Failure
	if errors.As(err, &f) {
		ev.Message, ev.UserID = f.Reason, f.UserID
	}
	return s.trail.Record(ctx, ev)
}
