package graph

import (
	"context"
	"time"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// validateRecord checks the common inputs of sensitive records.
func validateRecord(recordedOn *time.Time, summary, detail *string) error {
	if err := notFuture("recordedOn", recordedOn); err != nil {
		return err
	}
	return checkTexts(map[string]*string{"summary": summary, "detail": detail})
}

// validateDocument checks a document's dates and texts.
func validateDocument(requested, issued *time.Time, texts ...*string) error {
	if err := notFuture("requestedOn", requested); err != nil {
		return err
	}
	if err := notFuture("issuedOn", issued); err != nil {
		return err
	}
	if err := datesInOrder("issuedOn", requested, issued); err != nil {
		return err
	}
	for _, t := range texts {
		if err := checkTexts(map[string]*string{"text": t}); err != nil {
			return err
		}
	}
	return nil
}

// organisationByID loads an organisation through the request's loader, or
// takes it from the process's cache of organisations: a loader batch waits
// batchWait for companions before it looks, on a case's sensitive records
// (authorOrganisation) once per request.
func organisationByID(ctx context.Context, id gid.ID) (*ent.Organisation, error) {
	if l := loadersFrom(ctx); l != nil {
		if o, ok, err := ent.CachedOrganisation(ctx, l.client, id); ok {
			return o, err
		}
		return l.orgs.Load(ctx, id)
	}
	return ent.FromContext(ctx).Organisation.Get(ctx, id)
}

// authorIfColleague returns the author of a record when the viewer works
// for the same organisation. Staff of other agencies stay anonymous: the
// record names only their organisation.
func authorIfColleague(ctx context.Context, authorID, authorOrg gid.ID) (*ent.User, error) {
	v, err := viewerOf(ctx)
	if err != nil || v.OrgID != authorOrg || authorID == "" {
		return nil, err
	}
	l := loadersFrom(ctx)
	if l == nil {
		return nil, nil
	}
	u, err := l.users.Load(ctx, authorID)
	if apperr.IsCode(err, apperr.CodeNotFound) {
		return nil, nil
	}
	return u, err
}
