-- Drop index "caseteammember_organisation_id_returnee_id_until" from table: "case_team_members"
DROP INDEX `caseteammember_organisation_id_returnee_id_until`;
-- Create index "caseteammember_returnee_id_organisation_id_until_since" to table: "case_team_members"
CREATE INDEX `caseteammember_returnee_id_organisation_id_until_since` ON `case_team_members` (`returnee_id`, `organisation_id`, `until`, `since`);
-- Create index "caseteammember_organisation_id_returnee_id_until_since" to table: "case_team_members"
CREATE INDEX `caseteammember_organisation_id_returnee_id_until_since` ON `case_team_members` (`organisation_id`, `returnee_id`, `until`, `since`);
-- Drop index "returnee_family_name_given_name" from table: "returnees"
DROP INDEX `returnee_family_name_given_name`;
-- Create index "returnee_family_name_id" to table: "returnees"
CREATE INDEX `returnee_family_name_id` ON `returnees` (`family_name`, `id`);
-- Create index "returnee_given_name_id" to table: "returnees"
CREATE INDEX `returnee_given_name_id` ON `returnees` (`given_name`, `id`);
