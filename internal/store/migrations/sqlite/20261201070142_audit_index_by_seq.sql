-- atlas:delimiter -- end

-- The case index names its event by sequence number only, without a foreign key (see ent/schema/audit_event.go).
-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- end
-- Create "new_audit_subjects" table
CREATE TABLE `new_audit_subjects` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `event_seq` integer NOT NULL, `returnee_id` text NOT NULL, `categories` text NOT NULL, `detail` bool NOT NULL DEFAULT (false));
-- end
-- Copy rows from old table "audit_subjects" to new temporary table "new_audit_subjects"
INSERT INTO `new_audit_subjects` (`id`, `event_seq`, `returnee_id`, `categories`, `detail`) SELECT `id`, `event_seq`, `returnee_id`, `categories`, `detail` FROM `audit_subjects`;
-- end
-- Drop "audit_subjects" table after copying rows
DROP TABLE `audit_subjects`;
-- end
-- Rename temporary table "new_audit_subjects" to "audit_subjects"
ALTER TABLE `new_audit_subjects` RENAME TO `audit_subjects`;
-- end
-- Create index "auditsubject_returnee_id_event_seq" to table: "audit_subjects"
CREATE INDEX `auditsubject_returnee_id_event_seq` ON `audit_subjects` (`returnee_id`, `event_seq`);
-- end
-- The rebuilt table needs the append-only triggers again (added by hand)
CREATE TRIGGER `audit_subjects_no_update` BEFORE UPDATE ON `audit_subjects` BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- end
CREATE TRIGGER `audit_subjects_no_delete` BEFORE DELETE ON `audit_subjects` BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- end
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
-- end
