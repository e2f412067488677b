package schema

import "entgo.io/ent/dialect"

// dateType stores calendar dates (no time of day) as SQL DATE on both stores.
var dateType = map[string]string{dialect.Postgres: "date", dialect.SQLite: "date"}
