-- Drop index "returnee_phase_custody_status_citizenship" from table: "returnees"
DROP INDEX "returnee_phase_custody_status_citizenship";
-- Create index "returnee_phase_custody_status_citizenship_id_name_key" to table: "returnees"
CREATE INDEX "returnee_phase_custody_status_citizenship_id_name_key" ON "returnees" ("phase", "custody_status", "citizenship", "id", "name_key");
