-- Create index "householdmemberwards_returnee_id" to table: "household_member_wards"
CREATE INDEX "householdmemberwards_returnee_id" ON "household_member_wards" ("returnee_id");
