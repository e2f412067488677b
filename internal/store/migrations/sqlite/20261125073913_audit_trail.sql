-- Create "audit_chains" table
CREATE TABLE `audit_chains` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `last_seq` integer NOT NULL DEFAULT (0), `last_hash` text NOT NULL DEFAULT (''), `updated_at` datetime NOT NULL);
-- Create "audit_events" table
CREATE TABLE `audit_events` (`id` text NOT NULL, `seq` integer NOT NULL, `occurred_at` datetime NOT NULL, `kind` text NOT NULL, `decision` text NOT NULL, `user_id` text NULL, `organisation_id` text NULL, `roles` json NULL, `operation` text NOT NULL DEFAULT (''), `purpose` text NOT NULL DEFAULT (''), `request_id` text NOT NULL DEFAULT (''), `records` json NULL, `categories` text NOT NULL DEFAULT (''), `flagged` bool NOT NULL DEFAULT (false), `message` text NOT NULL DEFAULT (''), `prev_hash` text NOT NULL, `hash` text NOT NULL, PRIMARY KEY (`id`));
-- Create index "audit_events_seq_key" to table: "audit_events"
CREATE UNIQUE INDEX `audit_events_seq_key` ON `audit_events` (`seq`);
-- Create index "auditevent_occurred_at" to table: "audit_events"
CREATE INDEX `auditevent_occurred_at` ON `audit_events` (`occurred_at`);
-- Create "audit_indexes" table
CREATE TABLE `audit_indexes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `indexed_seq` integer NOT NULL DEFAULT (0));
-- Create "audit_subjects" table
CREATE TABLE `audit_subjects` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `event_seq` integer NOT NULL, `returnee_id` text NOT NULL, `categories` text NOT NULL, `detail` bool NOT NULL DEFAULT (false), `occurred_at` datetime NOT NULL, `event_id` text NOT NULL, CONSTRAINT `audit_subjects_audit_events_subjects` FOREIGN KEY (`event_id`) REFERENCES `audit_events` (`id`) ON DELETE NO ACTION);
-- Create index "auditsubject_returnee_id_event_seq" to table: "audit_subjects"
CREATE INDEX `auditsubject_returnee_id_event_seq` ON `audit_subjects` (`returnee_id`, `event_seq`);
