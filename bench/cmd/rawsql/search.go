package main

import (
	"context"
	"errors"

	"github.com/rdrr-project/rdrr/internal/names"
)

var errShortPrefix = errors.New("search needs at least 2 letters or digits")

// search answers bench/queries/search.graphql with the predicate rdrr
// sends (equality on phase, custody and citizenship, the folded prefix at
// the start of any part of the name key): the page, one row more for
// hasNextPage, and the total (cached like rdrr's) in a statement of its
// own, because a window count would make PostgreSQL read every match.
func search(ctx context.Context, d db, cc *counts, phase, custody, country, prefix string, first int) (any, error) {
	key := names.Fold(prefix)
	if len(key) < 2 {
		return nil, errShortPrefix
	}
	where := func(a *args) string {
		return ` WHERE r.phase = ` + a.p(phase) + ` AND r.custody_status = ` + a.p(custody) + ` AND r.citizenship = ` + a.p(country) +
			` AND r.name_key LIKE ` + a.p("% "+key+"%")
	}
	rows, err := stmt(ctx, d, func(a *args) string {
		return `SELECT r.id, r.given_name AS "givenName", r.family_name AS "familyName", r.patronymic, r.birth_date AS "birthDate",
			r.phase, r.custody_status AS "custodyStatus", r.citizenship, r.region, o.slug AS lead_slug
			FROM returnees r JOIN organisations o ON o.id = r.lead_agency_id` + where(a) + ` ORDER BY r.id LIMIT ` + a.p(first+1)
	})
	if err != nil {
		return nil, err
	}
	total, err := cc.get(ctx, phase+"/"+custody+"/"+country+"/"+key, func(ctx context.Context) (int64, error) {
		n, err := stmt(ctx, d, func(a *args) string { return `SELECT count(*) AS n FROM returnees r` + where(a) })
		if err != nil {
			return 0, err
		}
		return toInt(n[0]["n"]), nil
	})
	if err != nil {
		return nil, err
	}
	more := len(rows) > first
	if more {
		rows = rows[:first]
	}
	var end any
	for _, r := range rows {
		nest(r, "leadAgency", "lead_", "slug")
		end = r["id"]
	}
	c := connection(rows, false)
	c["totalCount"] = total
	c["pageInfo"] = map[string]any{"hasNextPage": more, "endCursor": end}
	return map[string]any{"returnees": c}, nil
}
