-- The case of bench/queries/case.graphql in one statement: PostgreSQL builds
-- the whole answer as JSON, as PostGraphile does, and rawsql writes it out
-- untouched (rawsql -case-statements one). $1 is the case's ID, $2 the page
-- size of every connection. No policy and no audit: what one round trip and
-- no per-row work in Go cost, the floor of any design that answers this
-- query from one statement.
WITH r AS (SELECT * FROM returnees WHERE id = $1)
SELECT json_build_object('node', json_build_object(
 'id', r.id, 'givenName', r.given_name, 'familyName', r.family_name, 'patronymic', r.patronymic,
 'alternativeSpellings', r.alternative_spellings, 'sex', r.sex, 'birthDate', r.birth_date, 'birthDatePrecision', r.birth_date_precision,
 'citizenship', r.citizenship, 'citizenshipStatus', r.citizenship_status, 'returnedAs', r.returned_as, 'returnDate', r.return_date,
 'phase', r.phase, 'custodyStatus', r.custody_status, 'region', r.region, 'excludedFromStatistics', r.excluded_from_statistics,
 'createdAt', r.created_at, 'updatedAt', r.updated_at, 'version', r.version,
 'operation', (SELECT json_build_object('id', op.id, 'name', op.name, 'country', op.country, 'startedOn', op.started_on, 'endedOn', op.ended_on) FROM repatriation_operations op WHERE op.id = r.operation_id),
 'leadAgency', (SELECT json_build_object('id', l.id, 'slug', l.slug, 'name', l.name, 'kind', l.kind, 'country', l.country) FROM organisations l WHERE l.id = r.lead_agency_id),
 'caseTeam', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
    SELECT m.id, count(*) OVER () t, json_build_object('id', m.id, 'basis', m.basis, 'access', m.access, 'since', m.since, 'until', m.until,
      'organisation', json_build_object('id', o.id, 'slug', o.slug, 'name', o.name)) j
    FROM case_team_members m JOIN organisations o ON o.id = m.organisation_id WHERE m.returnee_id = r.id ORDER BY m.id LIMIT $2) s),
 'documents', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
    SELECT x.id, count(*) OVER () t, json_build_object('id', x.id, 'type', x.type, 'status', x.status, 'requestedOn', x.requested_on, 'issuedOn', x.issued_on,
      'issuingAuthority', x.issuing_authority, 'updatedAt', x.updated_at, 'version', x.version) j
    FROM documents x WHERE x.returnee_id = r.id ORDER BY x.id LIMIT $2) s),
 'legalRecords', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
    SELECT x.id, count(*) OVER () t, json_build_object('id', x.id, 'kind', x.kind, 'summary', x.summary, 'recordedOn', x.recorded_on,
      'authorOrganisation', CASE WHEN o.id IS NOT NULL THEN json_build_object('slug', o.slug) END) j
    FROM legal_records x LEFT JOIN organisations o ON o.id = x.author_organisation_id WHERE x.returnee_id = r.id ORDER BY x.id LIMIT $2) s),
 'medicalRecords', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
    SELECT x.id, count(*) OVER () t, json_build_object('id', x.id, 'kind', x.kind, 'summary', x.summary, 'recordedOn', x.recorded_on, 'inTreatment', x.in_treatment,
      'authorOrganisation', CASE WHEN o.id IS NOT NULL THEN json_build_object('slug', o.slug) END) j
    FROM medical_records x LEFT JOIN organisations o ON o.id = x.author_organisation_id WHERE x.returnee_id = r.id ORDER BY x.id LIMIT $2) s),
 'theologicalRecords', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
    SELECT x.id, count(*) OVER () t, json_build_object('id', x.id, 'kind', x.kind, 'summary', x.summary, 'recordedOn', x.recorded_on,
      'authorOrganisation', CASE WHEN o.id IS NOT NULL THEN json_build_object('slug', o.slug) END) j
    FROM theological_records x LEFT JOIN organisations o ON o.id = x.author_organisation_id WHERE x.returnee_id = r.id ORDER BY x.id LIMIT $2) s),
 'riskAssessments', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
    SELECT x.id, count(*) OVER () t, json_build_object('id', x.id, 'tool', x.tool, 'level', x.level, 'classification', x.classification, 'summary', x.summary, 'recordedOn', x.recorded_on,
      'authorOrganisation', CASE WHEN o.id IS NOT NULL THEN json_build_object('slug', o.slug) END) j
    FROM risk_assessments x LEFT JOIN organisations o ON o.id = x.author_organisation_id WHERE x.returnee_id = r.id ORDER BY x.id LIMIT $2) s),
 'interventions', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
    SELECT x.id, count(*) OVER () t, json_build_object('id', x.id, 'type', x.type, 'status', x.status, 'startedOn', x.started_on, 'endedOn', x.ended_on,
      'description', x.description, 'outcome', x.outcome, 'provider', json_build_object('slug', o.slug)) j
    FROM interventions x JOIN organisations o ON o.id = x.provider_id WHERE x.returnee_id = r.id ORDER BY x.id LIMIT $2) s),
 'communityActivities', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
    SELECT x.id, count(*) OVER () t, json_build_object('id', x.id, 'kind', x.kind, 'heldOn', x.held_on, 'participants', x.participants, 'summary', x.summary,
      'organiser', json_build_object('slug', o.slug)) j
    FROM community_activities x JOIN organisations o ON o.id = x.organiser_id WHERE x.returnee_id = r.id ORDER BY x.id LIMIT $2) s),
 'household', (SELECT json_build_object('id', h.id, 'label', h.label, 'region', h.region, 'notes', h.notes,
    'members', (SELECT coalesce(json_agg(json_build_object('id', m.id, 'givenName', m.given_name, 'familyName', m.family_name, 'sex', m.sex, 'birthYear', m.birth_year,
        'relationship', m.relationship, 'isGuardian', m.is_guardian) ORDER BY m.id), '[]') FROM household_members m WHERE m.household_id = h.id),
    'assessments', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
        SELECT a.id, count(*) OVER () t, json_build_object('id', a.id, 'assessedOn', a.assessed_on, 'economicSituation', a.economic_situation,
          'stigmaReported', a.stigma_reported, 'radicalisationConcern', a.radicalisation_concern, 'summary', a.summary) j
        FROM family_assessments a WHERE a.household_id = h.id ORDER BY a.id LIMIT $2) s))
    FROM households h WHERE h.id = r.household_id),
 'guardians', (SELECT coalesce(json_agg(json_build_object('id', m.id, 'givenName', m.given_name, 'familyName', m.family_name, 'relationship', m.relationship) ORDER BY m.id), '[]')
    FROM household_member_wards w JOIN household_members m ON m.id = w.household_member_id WHERE w.returnee_id = r.id AND m.is_guardian),
 'consents', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
    SELECT x.id, count(*) OVER () t, json_build_object('id', x.id, 'signatory', x.signatory, 'categories', x.categories, 'wholeTeam', x.whole_team, 'purpose', x.purpose,
      'validFrom', x.valid_from, 'validUntil', x.valid_until, 'revokedAt', x.revoked_at, 'recipient', CASE WHEN o.id IS NOT NULL THEN json_build_object('slug', o.slug) END) j
    FROM consents x LEFT JOIN organisations o ON o.id = x.recipient_id WHERE x.returnee_id = r.id ORDER BY x.id LIMIT $2) s),
 'breakGlassAccesses', (SELECT json_build_object('totalCount', coalesce(max(t), 0), 'edges', coalesce(json_agg(json_build_object('node', j) ORDER BY id), '[]')) FROM (
    SELECT x.id, count(*) OVER () t, json_build_object('id', x.id, 'reason', x.reason, 'grantedAt', x.granted_at, 'expiresAt', x.expires_at, 'reviewedAt', x.reviewed_at,
      'organisation', json_build_object('slug', o.slug)) j
    FROM break_glass_accesses x JOIN organisations o ON o.id = x.organisation_id WHERE x.returnee_id = r.id ORDER BY x.id LIMIT $2) s),
 'timeline', (SELECT json_build_object('edges', coalesce(json_agg(json_build_object('node', json_build_object('at', at, 'kind', kind, 'category', cat, 'summary', sum, 'subjectId', sid)) ORDER BY at DESC, sid DESC, kind DESC), '[]')) FROM (
    SELECT * FROM (
      SELECT p.at, 'PHASE_CHANGED' kind, 'CORE' cat, 'Phase ' || p.from_phase || ' → ' || p.to_phase sum, p.id sid FROM phase_changes p WHERE p.returnee_id = r.id
      UNION ALL SELECT t.at, 'REFERRAL', 'CORE', 'Referral for ' || rf.service || ' ' || t.to_status, t.referral_id FROM referral_transitions t JOIN referrals rf ON rf.id = t.referral_id WHERE t.returnee_id = r.id
      UNION ALL SELECT d.issued_on, 'DOCUMENT_ISSUED', 'LEGAL', d.type || ' issued', d.id FROM documents d WHERE d.returnee_id = r.id AND d.issued_on IS NOT NULL
      UNION ALL SELECT i.started_on, 'INTERVENTION_STARTED', 'SOCIAL', i.type || ' started', i.id FROM interventions i WHERE i.returnee_id = r.id AND i.started_on IS NOT NULL
      UNION ALL SELECT i.ended_on, 'INTERVENTION_ENDED', 'SOCIAL', i.type || ' ended', i.id FROM interventions i WHERE i.returnee_id = r.id AND i.ended_on IS NOT NULL
      UNION ALL SELECT x.created_at, 'RECORD_CREATED', 'LEGAL', 'LEGAL record written', x.id FROM legal_records x WHERE x.returnee_id = r.id
      UNION ALL SELECT x.created_at, 'RECORD_CREATED', 'MEDICAL', 'MEDICAL record written', x.id FROM medical_records x WHERE x.returnee_id = r.id
      UNION ALL SELECT x.created_at, 'RECORD_CREATED', 'THEOLOGICAL', 'THEOLOGICAL record written', x.id FROM theological_records x WHERE x.returnee_id = r.id
      UNION ALL SELECT x.created_at, 'RECORD_CREATED', 'RISK', 'RISK record written', x.id FROM risk_assessments x WHERE x.returnee_id = r.id
    ) u ORDER BY at DESC, sid DESC, kind DESC LIMIT $2) tl)
)) FROM r
