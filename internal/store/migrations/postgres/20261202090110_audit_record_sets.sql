-- atlas:delimiter -- end

-- Records of events naming many, stored once by digest (see ent/schema/audit_event.go).
ALTER TABLE "audit_events" ADD COLUMN "records_digest" character varying NOT NULL DEFAULT '';
-- end
CREATE TABLE "audit_record_sets" ("id" character varying NOT NULL, "records" jsonb NOT NULL, PRIMARY KEY ("id"));
-- end
CREATE TRIGGER "audit_record_sets_append_only" BEFORE UPDATE OR DELETE ON "audit_record_sets" FOR EACH ROW EXECUTE FUNCTION "rdrr_audit_append_only"();
-- end
CREATE TRIGGER "audit_record_sets_no_truncate" BEFORE TRUNCATE ON "audit_record_sets" FOR EACH STATEMENT EXECUTE FUNCTION "rdrr_audit_append_only"();
-- end
