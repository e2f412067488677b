package main

import (
	"context"
	"errors"
	"sort"
	"time"
)

// errNotFound answers a case that does not exist.
var errNotFound = errors.New("not found")

// edge is one connection of the case: its SQL (with the case ID and page
// size as parameters, the total as count(*) OVER ()) and the nested
// objects to build from joined columns.
type edge struct {
	field string
	sql   string // $ID and $N are replaced by placeholders
	nest  [][]string
}

// caseEdges mirror bench/queries/case.graphql, a page of N each.
var caseEdges = []edge{
	{"caseTeam", `SELECT m.id, m.basis, m.access, m.since, m.until, o.id AS org_id, o.slug AS org_slug, o.name AS org_name, count(*) OVER () AS total
		FROM case_team_members m JOIN organisations o ON o.id = m.organisation_id WHERE m.returnee_id = $ID ORDER BY m.id LIMIT $N`,
		[][]string{{"organisation", "org_", "id", "slug", "name"}}},
	{"documents", `SELECT id, type, status, requested_on AS "requestedOn", issued_on AS "issuedOn", issuing_authority AS "issuingAuthority",
		updated_at AS "updatedAt", version, count(*) OVER () AS total FROM documents WHERE returnee_id = $ID ORDER BY id LIMIT $N`, nil},
	{"legalRecords", `SELECT x.id, x.kind, x.summary, x.recorded_on AS "recordedOn", x.created_at AS "createdAt", o.slug AS org_slug, count(*) OVER () AS total
		FROM legal_records x LEFT JOIN organisations o ON o.id = x.author_organisation_id WHERE x.returnee_id = $ID ORDER BY x.id LIMIT $N`,
		[][]string{{"authorOrganisation", "org_", "slug"}}},
	{"medicalRecords", `SELECT x.id, x.kind, x.summary, x.recorded_on AS "recordedOn", x.created_at AS "createdAt", x.in_treatment AS "inTreatment", o.slug AS org_slug, count(*) OVER () AS total
		FROM medical_records x LEFT JOIN organisations o ON o.id = x.author_organisation_id WHERE x.returnee_id = $ID ORDER BY x.id LIMIT $N`,
		[][]string{{"authorOrganisation", "org_", "slug"}}},
	{"theologicalRecords", `SELECT x.id, x.kind, x.summary, x.recorded_on AS "recordedOn", x.created_at AS "createdAt", o.slug AS org_slug, count(*) OVER () AS total
		FROM theological_records x LEFT JOIN organisations o ON o.id = x.author_organisation_id WHERE x.returnee_id = $ID ORDER BY x.id LIMIT $N`,
		[][]string{{"authorOrganisation", "org_", "slug"}}},
	{"riskAssessments", `SELECT x.id, x.tool, x.level, x.classification, x.summary, x.recorded_on AS "recordedOn", x.created_at AS "createdAt", o.slug AS org_slug, count(*) OVER () AS total
		FROM risk_assessments x LEFT JOIN organisations o ON o.id = x.author_organisation_id WHERE x.returnee_id = $ID ORDER BY x.id LIMIT $N`,
		[][]string{{"authorOrganisation", "org_", "slug"}}},
	{"interventions", `SELECT x.id, x.type, x.status, x.started_on AS "startedOn", x.ended_on AS "endedOn", x.description, x.outcome, o.slug AS org_slug, count(*) OVER () AS total
		FROM interventions x JOIN organisations o ON o.id = x.provider_id WHERE x.returnee_id = $ID ORDER BY x.id LIMIT $N`,
		[][]string{{"provider", "org_", "slug"}}},
	{"communityActivities", `SELECT x.id, x.kind, x.held_on AS "heldOn", x.participants, x.summary, o.slug AS org_slug, count(*) OVER () AS total
		FROM community_activities x JOIN organisations o ON o.id = x.organiser_id WHERE x.returnee_id = $ID ORDER BY x.id LIMIT $N`,
		[][]string{{"organiser", "org_", "slug"}}},
	{"consents", `SELECT x.id, x.signatory, x.categories, x.whole_team AS "wholeTeam", x.purpose, x.valid_from AS "validFrom", x.valid_until AS "validUntil",
		x.revoked_at AS "revokedAt", o.slug AS org_slug, count(*) OVER () AS total
		FROM consents x LEFT JOIN organisations o ON o.id = x.recipient_id WHERE x.returnee_id = $ID ORDER BY x.id LIMIT $N`,
		[][]string{{"recipient", "org_", "slug"}}},
	{"breakGlassAccesses", `SELECT x.id, x.reason, x.granted_at AS "grantedAt", x.expires_at AS "expiresAt", x.reviewed_at AS "reviewedAt", o.slug AS org_slug, count(*) OVER () AS total
		FROM break_glass_accesses x JOIN organisations o ON o.id = x.organisation_id WHERE x.returnee_id = $ID ORDER BY x.id LIMIT $N`,
		[][]string{{"organisation", "org_", "slug"}}},
}

// oneCase answers bench/queries/case.graphql: the case with its operation
// and lead agency (one statement), each edge (one statement each), the
// household with members and assessments, the guardians, and the timeline
// (phase changes and referral transitions, merged with the dated rows
// already read), in 17 statements.
func oneCase(ctx context.Context, d db, id string, first int) (any, error) {
	rs, err := stmt(ctx, d, func(a *args) string {
		return `SELECT r.id, r.given_name AS "givenName", r.family_name AS "familyName", r.patronymic, r.alternative_spellings AS "alternativeSpellings",
			r.sex, r.birth_date AS "birthDate", r.birth_date_precision AS "birthDatePrecision", r.citizenship, r.citizenship_status AS "citizenshipStatus",
			r.returned_as AS "returnedAs", r.return_date AS "returnDate", r.phase, r.custody_status AS "custodyStatus", r.region,
			r.excluded_from_statistics AS "excludedFromStatistics", r.created_at AS "createdAt", r.updated_at AS "updatedAt", r.version,
			r.household_id AS household_id,
			op.id AS op_id, op.name AS op_name, op.country AS op_country, op.started_on AS "op_startedOn", op.ended_on AS "op_endedOn",
			l.id AS lead_id, l.slug AS lead_slug, l.name AS lead_name, l.kind AS lead_kind, l.country AS lead_country
			FROM returnees r JOIN organisations l ON l.id = r.lead_agency_id
			LEFT JOIN repatriation_operations op ON op.id = r.operation_id WHERE r.id = ` + a.p(id)
	})
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, errNotFound
	}
	c := rs[0]
	nest(c, "operation", "op_", "id", "name", "country", "startedOn", "endedOn")
	nest(c, "leadAgency", "lead_", "id", "slug", "name", "kind", "country")
	pages := make(map[string][]row, len(caseEdges))
	for _, e := range caseEdges {
		rows, err := stmt(ctx, d, func(a *args) string { return bindCase(e.sql, a, id, first) })
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			for _, n := range e.nest {
				nest(r, n[0], n[1], n[2:]...)
			}
		}
		pages[e.field] = rows
		c[e.field] = connection(rows, true)
	}
	hh, _ := c["household_id"].(string)
	delete(c, "household_id")
	if c["household"], err = household(ctx, d, hh, first); err != nil {
		return nil, err
	}
	if c["guardians"], err = stmt(ctx, d, func(a *args) string {
		return `SELECT m.id, m.given_name AS "givenName", m.family_name AS "familyName", m.relationship
			FROM household_member_wards w JOIN household_members m ON m.id = w.household_member_id
			WHERE w.returnee_id = ` + a.p(id) + ` AND m.is_guardian ORDER BY m.id`
	}); err != nil {
		return nil, err
	}
	if c["timeline"], err = timeline(ctx, d, id, first, pages); err != nil {
		return nil, err
	}
	return map[string]any{"node": c}, nil
}

// bindCase replaces $ID and $N in q by placeholders, in order of use.
func bindCase(q string, a *args, id string, n int) string {
	out := make([]byte, 0, len(q))
	for i := 0; i < len(q); i++ {
		switch {
		case q[i] == '$' && i+3 <= len(q) && q[i:i+3] == "$ID":
			out = append(out, a.p(id)...)
			i += 2
		case q[i] == '$' && i+2 <= len(q) && q[i:i+2] == "$N":
			out = append(out, a.p(n)...)
			i++
		default:
			out = append(out, q[i])
		}
	}
	return string(out)
}

func household(ctx context.Context, d db, id string, first int) (any, error) {
	if id == "" {
		return nil, nil
	}
	hs, err := stmt(ctx, d, func(a *args) string { return `SELECT id, label, region, notes FROM households WHERE id = ` + a.p(id) })
	if err != nil || len(hs) == 0 {
		return nil, err
	}
	h := hs[0]
	if h["members"], err = stmt(ctx, d, func(a *args) string {
		return `SELECT id, given_name AS "givenName", family_name AS "familyName", sex, birth_year AS "birthYear", relationship, is_guardian AS "isGuardian"
			FROM household_members WHERE household_id = ` + a.p(id) + ` ORDER BY id`
	}); err != nil {
		return nil, err
	}
	as, err := stmt(ctx, d, func(a *args) string {
		return `SELECT id, assessed_on AS "assessedOn", economic_situation AS "economicSituation", stigma_reported AS "stigmaReported",
			radicalisation_concern AS "radicalisationConcern", summary, count(*) OVER () AS total
			FROM family_assessments WHERE household_id = ` + a.p(id) + ` ORDER BY id LIMIT ` + a.p(first)
	})
	if err != nil {
		return nil, err
	}
	h["assessments"] = connection(as, true)
	return h, nil
}

// timeline merges, newest first, the case's phase changes and referral
// transitions (two statements) with the issued documents, started and
// ended interventions and written records already read for the edges.
func timeline(ctx context.Context, d db, id string, first int, pages map[string][]row) (any, error) {
	type item struct {
		at                      time.Time
		kind, cat, sum, subject string
	}
	var items []item
	pcs, err := stmt(ctx, d, func(a *args) string {
		return `SELECT id, at, from_phase, to_phase FROM phase_changes WHERE returnee_id = ` + a.p(id) + ` ORDER BY at DESC LIMIT ` + a.p(first)
	})
	if err != nil {
		return nil, err
	}
	for _, p := range pcs {
		items = append(items, item{asTime(p["at"]), "PHASE_CHANGED", "CORE", "Phase " + str(p["from_phase"]) + " → " + str(p["to_phase"]), str(p["id"])})
	}
	rts, err := stmt(ctx, d, func(a *args) string {
		return `SELECT t.at, t.to_status, t.referral_id, r.service FROM referral_transitions t JOIN referrals r ON r.id = t.referral_id
			WHERE t.returnee_id = ` + a.p(id) + ` ORDER BY t.at DESC LIMIT ` + a.p(first)
	})
	if err != nil {
		return nil, err
	}
	for _, t := range rts {
		items = append(items, item{asTime(t["at"]), "REFERRAL", "CORE", "Referral for " + str(t["service"]) + " " + str(t["to_status"]), str(t["referral_id"])})
	}
	for _, e := range pages["documents"] {
		if n := e["issuedOn"]; n != nil {
			items = append(items, item{asTime(n), "DOCUMENT_ISSUED", "LEGAL", str(e["type"]) + " issued", str(e["id"])})
		}
	}
	for _, e := range pages["interventions"] {
		if n := e["startedOn"]; n != nil {
			items = append(items, item{asTime(n), "INTERVENTION_STARTED", "SOCIAL", str(e["type"]) + " started", str(e["id"])})
		}
		if n := e["endedOn"]; n != nil {
			items = append(items, item{asTime(n), "INTERVENTION_ENDED", "SOCIAL", str(e["type"]) + " ended", str(e["id"])})
		}
	}
	for field, cat := range map[string]string{"legalRecords": "LEGAL", "medicalRecords": "MEDICAL", "theologicalRecords": "THEOLOGICAL", "riskAssessments": "RISK"} {
		for _, e := range pages[field] {
			items = append(items, item{asTime(e["createdAt"]), "RECORD_CREATED", cat, cat + " record written", str(e["id"])})
		}
	}
	sort.Slice(items, func(i, j int) bool { // newest first; ties by subject, then kind, both descending
		a, b := items[i], items[j]
		if !a.at.Equal(b.at) {
			return a.at.After(b.at)
		}
		if a.subject != b.subject {
			return a.subject > b.subject
		}
		return a.kind > b.kind
	})
	if len(items) > first {
		items = items[:first]
	}
	edges := make([]map[string]any, len(items))
	for i, it := range items {
		edges[i] = map[string]any{"node": map[string]any{"at": it.at, "kind": it.kind, "category": it.cat, "summary": it.sum, "subjectId": it.subject}}
	}
	return map[string]any{"edges": edges}, nil
}

func str(v any) string { s, _ := v.(string); return s }

// asTime reads a date or timestamp column: pgx gives time.Time, SQLite
// gives time.Time for typed columns or the text rdrr stored.
func asTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, time.DateOnly} {
			if p, err := time.Parse(layout, t); err == nil {
				return p
			}
		}
	}
	return time.Time{}
}
