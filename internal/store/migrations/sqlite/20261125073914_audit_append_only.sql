-- atlas:delimiter -- end

-- The audit trail is append-only: no UPDATE or DELETE of events or their index rows.
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events` BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- end
CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events` BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- end
CREATE TRIGGER `audit_subjects_no_update` BEFORE UPDATE ON `audit_subjects` BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- end
CREATE TRIGGER `audit_subjects_no_delete` BEFORE DELETE ON `audit_subjects` BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- end
