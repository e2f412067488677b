package migrate

import "entgo.io/ent/dialect/sql/schema"

// Hand-written, kept by code generation: ent gives a many-to-many join
// table only its primary key, (household_member_id, returnee_id), so
// loading a case's guardians (household_member_wards by returnee_id) read
// the whole table: 26000 rows and 2.5 ms per case at 100000 returnees. The
// versioned migrations are generated from Tables, so this index is in them.
func init() {
	HouseholdMemberWardsTable.Indexes = append(HouseholdMemberWardsTable.Indexes, &schema.Index{
		Name:    "householdmemberwards_returnee_id",
		Columns: []*schema.Column{HouseholdMemberWardsColumns[1]},
	})
}
