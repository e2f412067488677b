-- Modify "returnees" table
ALTER TABLE "returnees" ADD COLUMN "stats_key" bigint NOT NULL DEFAULT 0;
-- Give existing returnees their random record key
UPDATE "returnees" SET "stats_key" = floor(random() * 256)::bigint;
