-- Create "phase_changes" table
CREATE TABLE "phase_changes" ("id" character varying NOT NULL, "from_phase" character varying NOT NULL, "to_phase" character varying NOT NULL, "reason" character varying NOT NULL DEFAULT '', "actor_id" character varying NOT NULL, "actor_organisation_id" character varying NOT NULL, "at" timestamptz NOT NULL, "returnee_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "phase_changes_returnees_phase_changes" FOREIGN KEY ("returnee_id") REFERENCES "returnees" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "phasechange_returnee_id" to table: "phase_changes"
CREATE INDEX "phasechange_returnee_id" ON "phase_changes" ("returnee_id");
-- Create "referrals" table
CREATE TABLE "referrals" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "created_by" character varying NULL, "updated_by" character varying NULL, "version" bigint NOT NULL DEFAULT 1, "returnee_id" character varying NOT NULL, "from_organisation_id" character varying NOT NULL, "to_organisation_id" character varying NOT NULL, "service" character varying NOT NULL, "reason" character varying NOT NULL, "categories_to_share" jsonb NOT NULL, "due_by" date NOT NULL, "consent_id" character varying NULL, "status" character varying NOT NULL DEFAULT 'SENT', "status_changed_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create index "referral_from_organisation_id_status" to table: "referrals"
CREATE INDEX "referral_from_organisation_id_status" ON "referrals" ("from_organisation_id", "status");
-- Create index "referral_returnee_id" to table: "referrals"
CREATE INDEX "referral_returnee_id" ON "referrals" ("returnee_id");
-- Create index "referral_to_organisation_id_status" to table: "referrals"
CREATE INDEX "referral_to_organisation_id_status" ON "referrals" ("to_organisation_id", "status");
-- Create "referral_transitions" table
CREATE TABLE "referral_transitions" ("id" character varying NOT NULL, "returnee_id" character varying NOT NULL, "from_status" character varying NOT NULL DEFAULT '', "to_status" character varying NOT NULL, "actor_id" character varying NOT NULL, "actor_organisation_id" character varying NOT NULL, "note" character varying NOT NULL DEFAULT '', "at" timestamptz NOT NULL, "referral_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "referral_transitions_referrals_transitions" FOREIGN KEY ("referral_id") REFERENCES "referrals" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "referraltransition_referral_id" to table: "referral_transitions"
CREATE INDEX "referraltransition_referral_id" ON "referral_transitions" ("referral_id");
-- Create index "referraltransition_returnee_id_at" to table: "referral_transitions"
CREATE INDEX "referraltransition_returnee_id_at" ON "referral_transitions" ("returnee_id", "at");
-- Create "webhooks" table
CREATE TABLE "webhooks" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "created_by" character varying NULL, "updated_by" character varying NULL, "version" bigint NOT NULL DEFAULT 1, "organisation_id" character varying NOT NULL, "url" character varying NOT NULL, "secret" character varying NOT NULL, "active" boolean NOT NULL DEFAULT true, PRIMARY KEY ("id"));
-- Create index "webhook_organisation_id" to table: "webhooks"
CREATE INDEX "webhook_organisation_id" ON "webhooks" ("organisation_id");
-- Create "webhook_deliveries" table
CREATE TABLE "webhook_deliveries" ("id" character varying NOT NULL, "organisation_id" character varying NOT NULL, "event" character varying NOT NULL, "payload" text NOT NULL, "status" character varying NOT NULL DEFAULT 'PENDING', "attempts" bigint NOT NULL DEFAULT 0, "next_attempt_at" timestamptz NOT NULL, "last_status_code" bigint NULL, "last_error" character varying NOT NULL DEFAULT '', "created_at" timestamptz NOT NULL, "delivered_at" timestamptz NULL, "webhook_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "webhook_deliveries_webhooks_deliveries" FOREIGN KEY ("webhook_id") REFERENCES "webhooks" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "webhookdelivery_status_next_attempt_at" to table: "webhook_deliveries"
CREATE INDEX "webhookdelivery_status_next_attempt_at" ON "webhook_deliveries" ("status", "next_attempt_at");
