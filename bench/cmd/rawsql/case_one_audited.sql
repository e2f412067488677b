-- What rawsql -case-statements one-audited puts in place of case_one.sql's
-- first line: the case only if $3 (the viewer's organisation) is on its
-- team now, as rdrr's row rule has it, and, in the same statement and so
-- in the same commit, a row of rawsql_audit naming the documents and
-- records on the answer's pages, as rdrr's audit trail notes a read ($4 is
-- the actor). A hand-written stand-in for a design that compiles a query,
-- its policy and its audit into one statement; rdrr's trail also chains
-- and hashes its events, which this does not.
WITH r AS (SELECT * FROM returnees WHERE id = $1 AND EXISTS (
    SELECT 1 FROM case_team_members m WHERE m.returnee_id = returnees.id AND m.organisation_id = $3
      AND (m.until IS NULL OR m.until > now()))),
a AS (INSERT INTO rawsql_audit (actor, returnee_id, records)
    SELECT $4, r.id, coalesce((SELECT jsonb_agg(id ORDER BY id) FROM (
      SELECT id FROM (SELECT id FROM documents WHERE returnee_id = r.id ORDER BY id LIMIT $2) d
      UNION ALL SELECT id FROM (SELECT id FROM legal_records WHERE returnee_id = r.id ORDER BY id LIMIT $2) l
      UNION ALL SELECT id FROM (SELECT id FROM medical_records WHERE returnee_id = r.id ORDER BY id LIMIT $2) m
      UNION ALL SELECT id FROM (SELECT id FROM theological_records WHERE returnee_id = r.id ORDER BY id LIMIT $2) t
      UNION ALL SELECT id FROM (SELECT id FROM risk_assessments WHERE returnee_id = r.id ORDER BY id LIMIT $2) k) ids), '[]')
    FROM r)
