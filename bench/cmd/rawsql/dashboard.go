package main

import "context"

// dashboard answers bench/queries/dashboard.graphql: a page of returnees
// (ID order, rdrr's default) with documents, latest risk assessment,
// active interventions and team, in six statements: the total (cached
// like rdrr's), the page, and one per edge for the whole page (never one
// per case).
func dashboard(ctx context.Context, d db, cc *counts, first int) (any, error) {
	total, err := cc.get(ctx, "all", func(ctx context.Context) (int64, error) {
		rows, err := stmt(ctx, d, func(*args) string { return `SELECT count(*) AS n FROM returnees` })
		if err != nil {
			return 0, err
		}
		return toInt(rows[0]["n"]), nil
	})
	if err != nil {
		return nil, err
	}
	page, err := stmt(ctx, d, func(a *args) string {
		return `SELECT id, given_name AS "givenName", family_name AS "familyName", phase, custody_status AS "custodyStatus"
			FROM returnees ORDER BY id LIMIT ` + a.p(first)
	})
	if err != nil {
		return nil, err
	}
	in := ids(page)
	docs, err := stmt(ctx, d, func(a *args) string {
		return `SELECT returnee_id, type, status FROM documents WHERE returnee_id ` + a.in(in) + ` ORDER BY returnee_id, id`
	})
	if err != nil {
		return nil, err
	}
	risks, err := stmt(ctx, d, func(a *args) string {
		return `SELECT returnee_id, level, summary FROM (
			SELECT returnee_id, level, summary, ROW_NUMBER() OVER (PARTITION BY returnee_id ORDER BY recorded_on DESC, id DESC) AS rn
			FROM risk_assessments WHERE returnee_id ` + a.in(in) + `) latest WHERE rn = 1`
	})
	if err != nil {
		return nil, err
	}
	ivs, err := stmt(ctx, d, func(a *args) string {
		return `SELECT returnee_id, type, status FROM interventions WHERE status = 'ACTIVE' AND returnee_id ` + a.in(in) + ` ORDER BY returnee_id, id`
	})
	if err != nil {
		return nil, err
	}
	team, err := stmt(ctx, d, func(a *args) string {
		return `SELECT m.returnee_id, m.basis, o.slug AS org_slug FROM case_team_members m JOIN organisations o ON o.id = m.organisation_id
			WHERE m.returnee_id ` + a.in(in) + ` ORDER BY m.returnee_id, m.id`
	})
	if err != nil {
		return nil, err
	}
	for _, r := range team {
		nest(r, "organisation", "org_", "slug")
	}
	docsOf, risksOf, ivsOf, teamOf := byParent(docs, "returnee_id"), byParent(risks, "returnee_id"), byParent(ivs, "returnee_id"), byParent(team, "returnee_id")
	for _, r := range page {
		id := r["id"].(string)
		r["documents"] = connection(docsOf[id], false)
		r["riskAssessments"] = connection(risksOf[id], false)
		r["interventions"] = connection(ivsOf[id], false)
		r["caseTeam"] = connection(teamOf[id], false)
	}
	c := connection(page, false)
	c["totalCount"] = total
	return map[string]any{"returnees": c}, nil
}
