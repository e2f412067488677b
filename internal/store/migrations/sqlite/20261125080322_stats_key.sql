-- Add column "stats_key" to table: "returnees" (written by hand: adding a
-- column needs no table rebuild in SQLite, and a rebuild could not switch
-- foreign keys off inside the migration's transaction)
ALTER TABLE `returnees` ADD COLUMN `stats_key` integer NOT NULL DEFAULT ('0');
-- Give existing returnees their random record key
UPDATE `returnees` SET `stats_key` = abs(random()) % 256;
