-- Create "break_glass_accesses" table
CREATE TABLE `break_glass_accesses` (`id` text NOT NULL, `user_id` text NOT NULL, `reason` text NOT NULL, `granted_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `reviewed_at` datetime NULL, `reviewed_by` text NULL, `review_note` text NULL, `organisation_id` text NOT NULL, `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `break_glass_accesses_organisations_organisation` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `break_glass_accesses_returnees_break_glass_accesses` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "breakglassaccess_returnee_id" to table: "break_glass_accesses"
CREATE INDEX `breakglassaccess_returnee_id` ON `break_glass_accesses` (`returnee_id`);
-- Create "case_team_members" table
CREATE TABLE `case_team_members` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `basis` text NOT NULL, `access` text NOT NULL DEFAULT ('FULL'), `since` datetime NOT NULL, `until` datetime NULL, `organisation_id` text NOT NULL, `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `case_team_members_organisations_team_memberships` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `case_team_members_returnees_case_team` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "caseteammember_returnee_id" to table: "case_team_members"
CREATE INDEX `caseteammember_returnee_id` ON `case_team_members` (`returnee_id`);
-- Create index "caseteammember_organisation_id_returnee_id_until" to table: "case_team_members"
CREATE INDEX `caseteammember_organisation_id_returnee_id_until` ON `case_team_members` (`organisation_id`, `returnee_id`, `until`);
-- Create "community_activities" table
CREATE TABLE `community_activities` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `kind` text NOT NULL, `held_on` date NOT NULL, `participants` integer NULL, `summary` text NULL, `organiser_id` text NOT NULL, `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `community_activities_organisations_organiser` FOREIGN KEY (`organiser_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `community_activities_returnees_community_activities` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "communityactivity_returnee_id" to table: "community_activities"
CREATE INDEX `communityactivity_returnee_id` ON `community_activities` (`returnee_id`);
-- Create "consents" table
CREATE TABLE `consents` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `signatory` text NOT NULL, `categories` json NOT NULL, `whole_team` bool NOT NULL DEFAULT (false), `purpose` text NOT NULL, `valid_from` datetime NOT NULL, `valid_until` datetime NULL, `revoked_at` datetime NULL, `revocation_reason` text NULL, `guardian_id` text NULL, `recipient_id` text NULL, `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `consents_household_members_guardian` FOREIGN KEY (`guardian_id`) REFERENCES `household_members` (`id`) ON DELETE SET NULL, CONSTRAINT `consents_organisations_recipient` FOREIGN KEY (`recipient_id`) REFERENCES `organisations` (`id`) ON DELETE SET NULL, CONSTRAINT `consents_returnees_consents` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "consent_returnee_id" to table: "consents"
CREATE INDEX `consent_returnee_id` ON `consents` (`returnee_id`);
-- Create "documents" table
CREATE TABLE `documents` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `type` text NOT NULL, `status` text NOT NULL DEFAULT ('NOT_STARTED'), `requested_on` date NULL, `issued_on` date NULL, `issuing_authority` text NULL, `document_number` text NULL, `notes` text NULL, `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `documents_returnees_documents` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "document_returnee_id" to table: "documents"
CREATE INDEX `document_returnee_id` ON `documents` (`returnee_id`);
-- Create "family_assessments" table
CREATE TABLE `family_assessments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `assessed_on` date NOT NULL, `economic_situation` text NOT NULL, `stigma_reported` bool NOT NULL DEFAULT (false), `radicalisation_concern` bool NOT NULL DEFAULT (false), `summary` text NOT NULL, `author_organisation_id` text NOT NULL, `household_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `family_assessments_households_assessments` FOREIGN KEY (`household_id`) REFERENCES `households` (`id`) ON DELETE NO ACTION);
-- Create index "familyassessment_household_id" to table: "family_assessments"
CREATE INDEX `familyassessment_household_id` ON `family_assessments` (`household_id`);
-- Create "households" table
CREATE TABLE `households` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `label` text NOT NULL, `region` text NULL, `notes` text NULL, PRIMARY KEY (`id`));
-- Create "household_members" table
CREATE TABLE `household_members` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `given_name` text NOT NULL, `family_name` text NOT NULL, `sex` text NOT NULL, `birth_year` integer NULL, `relationship` text NOT NULL, `is_guardian` bool NOT NULL DEFAULT (false), `household_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `household_members_households_members` FOREIGN KEY (`household_id`) REFERENCES `households` (`id`) ON DELETE NO ACTION);
-- Create index "householdmember_household_id" to table: "household_members"
CREATE INDEX `householdmember_household_id` ON `household_members` (`household_id`);
-- Create "interventions" table
CREATE TABLE `interventions` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `type` text NOT NULL, `status` text NOT NULL DEFAULT ('PLANNED'), `started_on` date NULL, `ended_on` date NULL, `description` text NULL, `outcome` text NULL, `provider_id` text NOT NULL, `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `interventions_organisations_provider` FOREIGN KEY (`provider_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `interventions_returnees_interventions` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "intervention_returnee_id" to table: "interventions"
CREATE INDEX `intervention_returnee_id` ON `interventions` (`returnee_id`);
-- Create "legal_records" table
CREATE TABLE `legal_records` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `summary` text NOT NULL, `detail` text NULL, `recorded_on` date NOT NULL, `author_id` text NOT NULL, `author_organisation_id` text NOT NULL, `kind` text NOT NULL, `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `legal_records_returnees_legal_records` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "legalrecord_returnee_id" to table: "legal_records"
CREATE INDEX `legalrecord_returnee_id` ON `legal_records` (`returnee_id`);
-- Create "medical_records" table
CREATE TABLE `medical_records` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `summary` text NOT NULL, `detail` text NULL, `recorded_on` date NOT NULL, `author_id` text NOT NULL, `author_organisation_id` text NOT NULL, `kind` text NOT NULL, `in_treatment` bool NOT NULL DEFAULT (false), `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `medical_records_returnees_medical_records` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "medicalrecord_returnee_id" to table: "medical_records"
CREATE INDEX `medicalrecord_returnee_id` ON `medical_records` (`returnee_id`);
-- Create "organisations" table
CREATE TABLE `organisations` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `slug` text NOT NULL, `name` text NOT NULL, `kind` text NOT NULL, `country` text NULL, PRIMARY KEY (`id`));
-- Create index "organisations_slug_key" to table: "organisations"
CREATE UNIQUE INDEX `organisations_slug_key` ON `organisations` (`slug`);
-- Create "policy_rules" table
CREATE TABLE `policy_rules` (`id` text NOT NULL, `ptype` text NOT NULL, `v0` text NOT NULL DEFAULT (''), `v1` text NOT NULL DEFAULT (''), `v2` text NOT NULL DEFAULT (''), `v3` text NOT NULL DEFAULT (''), `v4` text NOT NULL DEFAULT (''), `v5` text NOT NULL DEFAULT (''), `created_at` datetime NOT NULL, `created_by` text NULL, PRIMARY KEY (`id`));
-- Create index "policyrule_ptype_v0_v1_v2_v3_v4_v5" to table: "policy_rules"
CREATE UNIQUE INDEX `policyrule_ptype_v0_v1_v2_v3_v4_v5` ON `policy_rules` (`ptype`, `v0`, `v1`, `v2`, `v3`, `v4`, `v5`);
-- Create "repatriation_operations" table
CREATE TABLE `repatriation_operations` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `name` text NOT NULL, `country` text NOT NULL, `started_on` date NOT NULL, `ended_on` date NULL, `description` text NULL, PRIMARY KEY (`id`));
-- Create "returnees" table
CREATE TABLE `returnees` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `given_name` text NOT NULL, `family_name` text NOT NULL, `patronymic` text NULL, `alternative_spellings` json NULL, `name_key` text NULL, `sex` text NOT NULL, `birth_date` date NULL, `birth_date_precision` text NOT NULL DEFAULT ('EXACT'), `citizenship` text NOT NULL, `citizenship_status` text NOT NULL DEFAULT ('UNDETERMINED'), `returned_as` text NOT NULL, `return_date` date NOT NULL, `phase` text NOT NULL DEFAULT ('REPATRIATION'), `custody_status` text NOT NULL, `region` text NULL, `excluded_from_statistics` bool NOT NULL DEFAULT (false), `household_id` text NULL, `lead_agency_id` text NOT NULL, `operation_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `returnees_households_returnees` FOREIGN KEY (`household_id`) REFERENCES `households` (`id`) ON DELETE SET NULL, CONSTRAINT `returnees_organisations_led_cases` FOREIGN KEY (`lead_agency_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION, CONSTRAINT `returnees_repatriation_operations_returnees` FOREIGN KEY (`operation_id`) REFERENCES `repatriation_operations` (`id`) ON DELETE SET NULL);
-- Create index "returnee_lead_agency_id" to table: "returnees"
CREATE INDEX `returnee_lead_agency_id` ON `returnees` (`lead_agency_id`);
-- Create index "returnee_operation_id" to table: "returnees"
CREATE INDEX `returnee_operation_id` ON `returnees` (`operation_id`);
-- Create index "returnee_household_id" to table: "returnees"
CREATE INDEX `returnee_household_id` ON `returnees` (`household_id`);
-- Create index "returnee_family_name_given_name" to table: "returnees"
CREATE INDEX `returnee_family_name_given_name` ON `returnees` (`family_name`, `given_name`);
-- Create index "returnee_name_key" to table: "returnees"
CREATE INDEX `returnee_name_key` ON `returnees` (`name_key`);
-- Create index "returnee_return_date" to table: "returnees"
CREATE INDEX `returnee_return_date` ON `returnees` (`return_date`);
-- Create index "returnee_phase_custody_status_citizenship" to table: "returnees"
CREATE INDEX `returnee_phase_custody_status_citizenship` ON `returnees` (`phase`, `custody_status`, `citizenship`);
-- Create "revisions" table
CREATE TABLE `revisions` (`id` text NOT NULL, `value` integer NOT NULL DEFAULT (0), PRIMARY KEY (`id`));
-- Create "risk_assessments" table
CREATE TABLE `risk_assessments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `summary` text NOT NULL, `detail` text NULL, `recorded_on` date NOT NULL, `author_id` text NOT NULL, `author_organisation_id` text NOT NULL, `tool` text NOT NULL, `level` text NOT NULL, `classification` text NULL, `score` real NULL, `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `risk_assessments_returnees_risk_assessments` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "riskassessment_returnee_id" to table: "risk_assessments"
CREATE INDEX `riskassessment_returnee_id` ON `risk_assessments` (`returnee_id`);
-- Create "theological_records" table
CREATE TABLE `theological_records` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `summary` text NOT NULL, `detail` text NULL, `recorded_on` date NOT NULL, `author_id` text NOT NULL, `author_organisation_id` text NOT NULL, `kind` text NOT NULL DEFAULT ('SESSION'), `returnee_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `theological_records_returnees_theological_records` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE NO ACTION);
-- Create index "theologicalrecord_returnee_id" to table: "theological_records"
CREATE INDEX `theologicalrecord_returnee_id` ON `theological_records` (`returnee_id`);
-- Create "users" table
CREATE TABLE `users` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `created_by` text NULL, `updated_by` text NULL, `version` integer NOT NULL DEFAULT (1), `email` text NOT NULL, `name` text NOT NULL, `oidc_subject` text NULL, `active` bool NOT NULL DEFAULT (true), `organisation_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `users_organisations_users` FOREIGN KEY (`organisation_id`) REFERENCES `organisations` (`id`) ON DELETE NO ACTION);
-- Create index "users_email_key" to table: "users"
CREATE UNIQUE INDEX `users_email_key` ON `users` (`email`);
-- Create index "users_oidc_subject_key" to table: "users"
CREATE UNIQUE INDEX `users_oidc_subject_key` ON `users` (`oidc_subject`);
-- Create index "user_organisation_id" to table: "users"
CREATE INDEX `user_organisation_id` ON `users` (`organisation_id`);
-- Create "household_member_wards" table
CREATE TABLE `household_member_wards` (`household_member_id` text NOT NULL, `returnee_id` text NOT NULL, PRIMARY KEY (`household_member_id`, `returnee_id`), CONSTRAINT `household_member_wards_household_member_id` FOREIGN KEY (`household_member_id`) REFERENCES `household_members` (`id`) ON DELETE CASCADE, CONSTRAINT `household_member_wards_returnee_id` FOREIGN KEY (`returnee_id`) REFERENCES `returnees` (`id`) ON DELETE CASCADE);
