-- The case index names its event by sequence number only, without a foreign key (see ent/schema/audit_event.go); dropping event_id drops the constraint.
-- Modify "audit_subjects" table
ALTER TABLE "audit_subjects" DROP COLUMN "occurred_at", DROP COLUMN "event_id";
