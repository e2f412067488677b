-- Create "server_processes" table
CREATE TABLE "server_processes" ("id" character varying NOT NULL, "host" character varying NOT NULL DEFAULT '', "started_at" timestamptz NOT NULL, "seen_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create index "serverprocess_seen_at" to table: "server_processes"
CREATE INDEX "serverprocess_seen_at" ON "server_processes" ("seen_at");
