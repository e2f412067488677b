-- atlas:delimiter -- end

-- The audit trail is append-only: no UPDATE, DELETE or TRUNCATE of events or their index rows.
CREATE FUNCTION "rdrr_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$;
-- end
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION "rdrr_audit_append_only"();
-- end
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "rdrr_audit_append_only"();
-- end
CREATE TRIGGER "audit_subjects_append_only" BEFORE UPDATE OR DELETE ON "audit_subjects" FOR EACH ROW EXECUTE FUNCTION "rdrr_audit_append_only"();
-- end
CREATE TRIGGER "audit_subjects_no_truncate" BEFORE TRUNCATE ON "audit_subjects" FOR EACH STATEMENT EXECUTE FUNCTION "rdrr_audit_append_only"();
-- end
