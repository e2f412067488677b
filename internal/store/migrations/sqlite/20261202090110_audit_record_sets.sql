-- atlas:delimiter -- end

-- Records of events naming many, stored once by digest (see ent/schema/audit_event.go). Added by hand as a new
-- column, not a rebuilt table, so that the events' append-only triggers stay.
ALTER TABLE `audit_events` ADD COLUMN `records_digest` text NOT NULL DEFAULT ('');
-- end
CREATE TABLE `audit_record_sets` (`id` text NOT NULL, `records` json NOT NULL, PRIMARY KEY (`id`));
-- end
CREATE TRIGGER `audit_record_sets_no_update` BEFORE UPDATE ON `audit_record_sets` BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- end
CREATE TRIGGER `audit_record_sets_no_delete` BEFORE DELETE ON `audit_record_sets` BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- end
