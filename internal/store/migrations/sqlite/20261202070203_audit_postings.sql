-- atlas:delimiter -- end

-- The case index becomes postings: one row per case and indexer run, listing the run's events that name the case
-- (see ent/schema/audit_event.go). Each case's rows become postings of the events of each thousand of the chain.
-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- end
CREATE TABLE `new_audit_subjects` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `returnee_id` text NOT NULL, `first_seq` integer NOT NULL, `last_seq` integer NOT NULL, `seqs` json NOT NULL);
-- end
INSERT INTO `new_audit_subjects` (`returnee_id`, `first_seq`, `last_seq`, `seqs`)
SELECT `returnee_id`, min(`event_seq`), max(`event_seq`), json_group_array(`event_seq` ORDER BY `event_seq`)
FROM `audit_subjects` GROUP BY `returnee_id`, `event_seq` / 1000 ORDER BY min(`event_seq`), `returnee_id`;
-- end
DROP TABLE `audit_subjects`;
-- end
ALTER TABLE `new_audit_subjects` RENAME TO `audit_subjects`;
-- end
CREATE INDEX `auditsubject_returnee_id_first_seq` ON `audit_subjects` (`returnee_id`, `first_seq`);
-- end
CREATE INDEX `auditsubject_first_seq` ON `audit_subjects` (`first_seq`);
-- end
-- The rebuilt table needs the append-only triggers again (added by hand)
CREATE TRIGGER `audit_subjects_no_update` BEFORE UPDATE ON `audit_subjects` BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- end
CREATE TRIGGER `audit_subjects_no_delete` BEFORE DELETE ON `audit_subjects` BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- end
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
-- end
