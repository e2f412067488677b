package graph

import (
	"context"
	"encoding/json"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/predicate"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/apperr"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/names"
)

// edgeArgs guards a connection of category c on a case: the viewer must be
// allowed to read c (summary), and the page arguments must be valid.
func edgeArgs(ctx context.Context, c domain.Category, first, last *int) (*int, *int, error) {
	if err := canRead(ctx, c, domain.LevelSummary); err != nil {
		return nil, nil, err
	}
	return pageArgs(first, last)
}

// eagerLoaded reports whether entgql's field collection loaded the edge
// under the current field's alias.
func eagerLoaded[T any](ctx context.Context, named func(string) ([]T, error)) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return false
	}
	_, err := named(fc.Field.Alias)
	return err == nil
}

// checkVersion fails with CONFLICT when the client's version is stale.
func checkVersion(current, given int) error {
	if current != given {
		return apperr.Conflict("the record was changed by someone else (version %d, you sent %d); reload and retry", current, given).
			With("currentVersion", current)
	}
	return nil
}

// versioned turns the "no row matched id and version" of a guarded update
// into CONFLICT: the row exists (it was read in the same transaction), so
// the version moved under us.
func versioned[T any](v T, err error) (T, error) {
	if ent.IsNotFound(err) {
		var zero T
		return zero, apperr.Conflict("the record was changed by someone else; reload and retry")
	}
	return v, err
}

// datesInOrder checks that to is not before from when both are given.
func datesInOrder(field string, from, to *time.Time) error {
	if from != nil && to != nil && to.Before(*from) {
		return apperr.Invalid(field, "%s must not be before %s", field, from.Format(time.DateOnly))
	}
	return nil
}

// notFuture checks a date is not after today.
func notFuture(field string, t *time.Time) error {
	if t != nil && t.After(time.Now().UTC()) {
		return apperr.Invalid(field, "%s must not be in the future", field)
	}
	return nil
}

func validateNewReturnee(in ent.CreateReturneeInput) error {
	if err := notFuture("returnDate", &in.ReturnDate); err != nil {
		return err
	}
	if err := notFuture("birthDate", in.BirthDate); err != nil {
		return err
	}
	if err := datesInOrder("returnDate", in.BirthDate, &in.ReturnDate); err != nil {
		return err
	}
	return checkNames(in.GivenName, in.FamilyName, in.Patronymic, in.AlternativeSpellings)
}

func validateReturneeUpdate(cur *ent.Returnee, in ent.UpdateReturneeInput) error {
	birth, ret := cur.BirthDate, cur.ReturnDate
	if in.BirthDate != nil {
		birth = in.BirthDate
	}
	if in.ClearBirthDate {
		birth = nil
	}
	if in.ReturnDate != nil {
		ret = *in.ReturnDate
	}
	if err := notFuture("returnDate", &ret); err != nil {
		return err
	}
	if err := notFuture("birthDate", birth); err != nil {
		return err
	}
	if err := datesInOrder("returnDate", birth, &ret); err != nil {
		return err
	}
	given, family := cur.GivenName, cur.FamilyName
	if in.GivenName != nil {
		given = *in.GivenName
	}
	if in.FamilyName != nil {
		family = *in.FamilyName
	}
	return checkNames(given, family, in.Patronymic, in.AlternativeSpellings)
}

// checkNames rejects control characters and bidirectional overrides in
// names, which can disguise one name as another on screen.
func checkNames(given, family string, patronymic *string, alts []string) error {
	if err := cleanText("givenName", given); err != nil {
		return err
	}
	if err := cleanText("familyName", family); err != nil {
		return err
	}
	if patronymic != nil {
		if err := cleanText("patronymic", *patronymic); err != nil {
			return err
		}
	}
	if len(alts) > 20 {
		return apperr.Invalid("alternativeSpellings", "at most 20 alternative spellings")
	}
	for _, a := range alts {
		if len(a) == 0 || len(a) > 200 {
			return apperr.Invalid("alternativeSpellings", "each spelling must have 1 to 200 characters")
		}
		if err := cleanText("alternativeSpellings", a); err != nil {
			return err
		}
	}
	return nil
}

// nameSearch returns the predicate of a transliteration-aware name prefix
// search. The folded query holds only [a-z0-9 ], so it cannot carry LIKE
// wildcards or SQL.
func nameSearch(q string) (predicate.Returnee, error) {
	if len(q) > 100 {
		return nil, apperr.Invalid("search", "search must have at most 100 characters")
	}
	if err := cleanText("search", q); err != nil {
		return nil, err
	}
	folded := names.Fold(q)
	if len(folded) < 2 {
		return nil, apperr.Invalid("search", "search needs at least 2 letters or digits")
	}
	return predicate.Returnee(func(s *sql.Selector) {
		s.Where(sql.Like(s.C(returnee.FieldNameKey), "% "+folded+"%"))
	}), nil
}

// createOnCase runs create in a transaction after checking that the viewer
// may write category c and can see the case: a case outside the viewer's
// teams answers NOT_FOUND, exactly like one that does not exist.
func createOnCase[T any](ctx context.Context, r *Resolver, c domain.Category, returneeID gid.ID,
	create func(ctx context.Context, tx *ent.Tx) (T, error)) (T, error) {
	var zero T
	if err := canWrite(ctx, c, domain.LevelSummary); err != nil {
		return zero, err
	}
	return noted(inTxValue(ctx, r, func(ctx context.Context, tx *ent.Tx) (T, error) {
		if err := caseVisible(ctx, tx.Client(), returneeID); err != nil {
			return zero, err
		}
		return create(ctx, tx)
	}))(ctx)
}

// updateVersioned runs save in a transaction after checking that the viewer
// may write category c, that the record is visible (NOT_FOUND otherwise)
// and that its version is the one the client saw (CONFLICT otherwise).
func updateVersioned[T any](ctx context.Context, r *Resolver, c domain.Category, version int,
	current func(ctx context.Context, tx *ent.Tx) (int, error),
	save func(ctx context.Context, tx *ent.Tx) (T, error)) (T, error) {
	var zero T
	if err := canWrite(ctx, c, domain.LevelSummary); err != nil {
		return zero, err
	}
	return noted(inTxValue(ctx, r, func(ctx context.Context, tx *ent.Tx) (T, error) {
		cur, err := current(ctx, tx)
		if err != nil {
			return zero, err
		}
		if err := checkVersion(cur, version); err != nil {
			return zero, err
		}
		return versioned(save(ctx, tx))
	}))(ctx)
}

// caseVisible answers NOT_FOUND for a case the viewer cannot see.
func caseVisible(ctx context.Context, c *ent.Client, id gid.ID) error {
	ok, err := c.Returnee.Query().Where(returnee.ID(id)).Exist(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.NotFound().With("field", "returneeId")
	}
	return nil
}

// optional returns nil for the empty string, which ent stores for unset
// optional text.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// checkTexts applies cleanText to optional free-text inputs.
func checkTexts(fields map[string]*string) error {
	for name, v := range fields {
		if v == nil {
			continue
		}
		if err := cleanText(name, *v); err != nil {
			return err
		}
	}
	return nil
}

// countKey marks ctx so that the returnee total of this search is served
// from the count cache: the key is the viewer's organisation and the
// canonical filter.
func (r *Resolver) countKey(ctx context.Context, where *ent.ReturneeWhereInput, search *string) (context.Context, error) {
	if r.Counts == nil {
		return ctx, nil
	}
	v, err := viewerOf(ctx)
	if err != nil {
		return nil, err
	}
	scope := string(v.OrgID)
	if v.IsSystem() {
		scope = "system"
	}
	w, err := json.Marshal(where)
	if err != nil {
		return nil, err
	}
	s := ""
	if search != nil {
		s = names.Fold(*search)
	}
	return withCountKey(ctx, "returnees\x00"+scope+"\x00"+string(w)+"\x00"+s), nil
}

func fmtInvalid(field, msg string) error { return apperr.Invalid(field, "%s", msg) }
