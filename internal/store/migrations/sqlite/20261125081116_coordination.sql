-- Create "phase_changes" table
CREATE TABLE `phase_changes` (`id` text NOT NULL, `from_phase` text NOT NULL, `to_phase` text NOT NULL, `reason` text NOT NULL DEFAULT (''), `actor_id` text NOT NULL, `actor_organisation_id` text NOT NULL, `at` datetime NOT NULL, `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `phase_changes_returnees_phase_changes` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "phasechange_returnee_id" to table: "phase_changes"
CREATE INDEX `phasechange_returnee_id` ON `phase_changes` (`returnee_id`);
-- Create "referrals" table
CREATE TABLE `referrals` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `returnee_id` text NOT NULL, `from_organisation_id` text NOT NULL, `to_organisation_id` text NOT NULL, `service` text NOT NULL, `reason` text NOT NULL, `categories_to_share` json NOT NULL, `due_by` date NOT NULL, `consent_id` text NULL, `status` text NOT NULL DEFAULT ('SENT'), `status_changed_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create index "referral_to_organisation_id_status" to table: "referrals"
CREATE INDEX `referral_to_organisation_id_status` ON `referrals` (`to_organisation_id`, `status`);
-- Create index "referral_from_organisation_id_status" to table: "referrals"
CREATE INDEX `referral_from_organisation_id_status` ON `referrals` (`from_organisation_id`, `status`);
-- Create index "referral_returnee_id" to table: "referrals"
CREATE INDEX `referral_returnee_id` ON `referrals` (`returnee_id`);
-- Create "referral_transitions" table
CREATE TABLE `referral_transitions` (`id` text NOT NULL, `returnee_id` text NOT NULL, `from_status` text NOT NULL DEFAULT (''), `to_status` text NOT NULL, `actor_id` text NOT NULL, `actor_organisation_id` text NOT NULL, `note` text NOT NULL DEFAULT (''), `at` datetime NOT NULL, `referral_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `referral_transitions_referrals_transitions` FOREIGN KEY (`referral_id`) REFERENCES `referrals` (`id`) ON DELETE NO ACTION);
-- Create index "referraltransition_referral_id" to table: "referral_transitions"
CREATE INDEX `referraltransition_referral_id` ON `referral_transitions` (`referral_id`);
-- Create index "referraltransition_returnee_id_at" to table: "referral_transitions"
CREATE INDEX `referraltransition_returnee_id_at` ON `referral_transitions` (`returnee_id`, `at`);
-- Create "webhooks" table
CREATE TABLE `webhooks` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `organisation_id` text NOT NULL, `url` text NOT NULL, `secret` text NOT NULL, `active` bool NOT NULL DEFAULT (true), PRIMARY KEY (`id`));
-- Create index "webhook_organisation_id" to table: "webhooks"
CREATE INDEX `webhook_organisation_id` ON `webhooks` (`organisation_id`);
-- Create "webhook_deliveries" table
CREATE TABLE `webhook_deliveries` (`id` text NOT NULL, `organisation_id` text NOT NULL, `event` text NOT NULL, `payload` text NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `attempts` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NOT NULL, `last_status_code` integer NULL, `last_error` text NOT NULL DEFAULT (''), `created_at` datetime NOT NULL, `delivered_at` datetime NULL, `webhook_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `webhook_deliveries_webhooks_deliveries` FOREIGN KEY (`webhook_id`) REFERENCES `webhooks` (`id`) ON DELETE NO ACTION);
-- Create index "webhookdelivery_status_next_attempt_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_status_next_attempt_at` ON `webhook_deliveries` (`status`, `next_attempt_at`);
