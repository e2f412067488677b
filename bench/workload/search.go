package workload

// searchCase is one filtered search: phase, custody status, citizenship and
// a name prefix as a user types it.
type searchCase struct{ Phase, Custody, Country, Prefix string }

// searches are the filtered searches sent in turn: the common combinations
// of the demo seed (from thousands of matches down to a handful), with
// prefixes in Latin and Cyrillic script so rdrr's folding is exercised.
var searches = []searchCase{
	{"REINTEGRATION", "FAMILY_HOME", "KZ", "Ahm"},
	{"REHABILITATION", "FAMILY_HOME", "KZ", "Нур"},
	{"CLOSED", "FAMILY_HOME", "KZ", "Ser"},
	{"REHABILITATION", "REHABILITATION_CENTRE", "KZ", "Ai"},
	{"REHABILITATION", "PRISON", "KZ", "Bek"},
	{"REINTEGRATION", "INDEPENDENT_HOUSING", "KZ", "Мар"},
	{"DISENGAGEMENT", "PRISON", "KZ", "Er"},
	{"DISENGAGEMENT", "FAMILY_HOME", "KZ", "Kas"},
	{"REINTEGRATION", "FAMILY_HOME", "KZ", "Жан"},
	{"REHABILITATION", "FAMILY_HOME", "KZ", "Tim"},
}
