package stats

import (
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Dimension is a way of breaking returnees down. Every dimension is a
// coarse, closed attribute of the case; nothing that names or dates a
// person is a dimension.
type Dimension string

// The dimensions of the statistics query.
const (
	DimCountry    Dimension = "COUNTRY"     // citizenship, ISO 3166-1 alpha-2
	DimOperation  Dimension = "OPERATION"   // name of the repatriation operation, or NoOperation
	DimReturnYear Dimension = "RETURN_YEAR" // calendar year of return, "2019"
	DimCategory   Dimension = "CATEGORY"    // ADULT_MAN, ADULT_WOMAN, CHILD (at return)
	DimSex        Dimension = "SEX"         // FEMALE, MALE
	DimAgeBand    Dimension = "AGE_BAND"    // age at the report's as-of date, see AgeBands
	DimPhase      Dimension = "PHASE"       // current RDRR phase
	DimCustody    Dimension = "CUSTODY"     // current custody or residence status
)

// Dimensions lists every dimension in a fixed order.
var Dimensions = []Dimension{DimCountry, DimOperation, DimReturnYear, DimCategory, DimSex, DimAgeBand, DimPhase, DimCustody}

// filterNames are the dimensions' names as filter fields: the fields of
// the GraphQL StatisticsFilter and the parameters of the CSV report.
var filterNames = map[Dimension]string{
	DimCountry: "country", DimOperation: "operation", DimReturnYear: "returnYear", DimCategory: "category",
	DimSex: "sex", DimAgeBand: "ageBand", DimPhase: "phase", DimCustody: "custody",
}

// FilterName is the name of d as a filter field ("ageBand").
func (d Dimension) FilterName() string {
	if n, ok := filterNames[d]; ok {
		return n
	}
	return string(d)
}

// MaxGroupBy is the most dimensions one report may cross. Four already
// gives hundreds of cells; more would give tables of ones and zeros that
// suppression would mostly blank out.
const MaxGroupBy = 4

// NoOperation is the OPERATION value of returnees who came back outside
// any recorded operation.
const NoOperation = "NONE"

// UnknownAgeBand is the AGE_BAND value of returnees without a birth date.
const UnknownAgeBand = "UNKNOWN"

// AgeBands are the AGE_BAND values in order, UnknownAgeBand last.
var AgeBands = []string{"0-4", "5-9", "10-14", "15-17", "18-24", "25-34", "35-44", "45+", UnknownAgeBand}

// ageBandStarts are the lower bounds, in years, of AgeBands[1:8].
var ageBandStarts = []int{5, 10, 15, 18, 25, 35, 45}

// dimension describes how one dimension is read from the database and
// which values it takes.
type dimension struct {
	values []string           // closed set in display order; nil when open
	check  func(string) error // validation of open values
	// expr renders the SQL expression of the value for a returnee row
	// "r" (joined to its operation "o"). Parameters go through a.
	expr func(d sqlDialect, a *args, asOf time.Time) string
	// needsOperation says the expression reads the joined operation.
	needsOperation bool
	// column holds the value in statistics_facts (snapshot.go).
	column string
}

func column(name string) func(sqlDialect, *args, time.Time) string {
	return func(sqlDialect, *args, time.Time) string { return name }
}

var dimensions = map[Dimension]dimension{
	DimCountry: {check: checkCountry, expr: column("r.citizenship"), column: "country"},
	DimOperation: {
		check:          checkOperation,
		expr:           column("COALESCE(o.name, '" + NoOperation + "')"),
		needsOperation: true,
		column:         "operation",
	},
	DimReturnYear: {check: checkYear, expr: func(d sqlDialect, _ *args, _ time.Time) string { return d.year("r.return_date") }, column: "return_year"},
	DimCategory:   {values: []string{"ADULT_MAN", "ADULT_WOMAN", "CHILD"}, expr: column("r.returned_as"), column: "category"},
	DimSex:        {values: []string{"FEMALE", "MALE"}, expr: column("r.sex"), column: "sex"},
	DimAgeBand:    {values: AgeBands, expr: ageBandExpr, column: "age_band"},
	DimPhase: {
		values: []string{"REPATRIATION", "DISENGAGEMENT", "REHABILITATION", "REINTEGRATION", "CLOSED"},
		expr:   column("r.phase"),
		column: "phase",
	},
	DimCustody: {
		values: []string{"PRE_TRIAL_DETENTION", "PRISON", "REHABILITATION_CENTRE", "FAMILY_HOME", "INDEPENDENT_HOUSING", "OTHER"},
		expr:   column("r.custody_status"),
		column: "custody",
	},
}

// ageBandExpr places a returnee in an age band by comparing the birth date
// with the first birth date that is still younger than each band's lower
// bound at asOf (age < N  <=>  born after asOf minus N years). Comparing
// dates keeps the expression index- and dialect-friendly, and the cut-off
// dates are bound parameters computed here.
func ageBandExpr(d sqlDialect, a *args, asOf time.Time) string {
	s := "CASE WHEN r.birth_date IS NULL THEN '" + UnknownAgeBand + "'"
	for i, n := range ageBandStarts {
		cut := youngerThan(n, asOf).Format(time.DateOnly)
		s += " WHEN r.birth_date >= " + d.date(a.add(cut)) + " THEN '" + AgeBands[i] + "'"
	}
	return s + " ELSE '" + AgeBands[len(ageBandStarts)] + "' END"
}

// youngerThan returns the earliest birth date of someone not yet n years
// old at asOf: the day after asOf's month and day, n years earlier.
// Someone born on 29 February has a birthday on 1 March in common years.
func youngerThan(n int, asOf time.Time) time.Time {
	y := asOf.Year() - n
	if asOf.Month() == time.February && asOf.Day() == 29 {
		return time.Date(y, time.March, 1, 0, 0, 0, 0, time.UTC)
	}
	// time.Date normalises: 29 February of a common year is 1 March.
	return time.Date(y, asOf.Month(), asOf.Day()+1, 0, 0, 0, 0, time.UTC)
}

// ageBandOf is the Go twin of ageBandExpr, for tests and documentation:
// the band of someone born on birth at asOf.
func ageBandOf(birth *time.Time, asOf time.Time) string {
	if birth == nil {
		return UnknownAgeBand
	}
	b := birth.Format(time.DateOnly)
	for i, n := range ageBandStarts {
		if b >= youngerThan(n, asOf).Format(time.DateOnly) {
			return AgeBands[i]
		}
	}
	return AgeBands[len(ageBandStarts)]
}

// checkValue validates one filter value of dimension dim.
func checkValue(dim Dimension, v string) error {
	def := dimensions[dim]
	if def.values != nil {
		if !slices.Contains(def.values, v) {
			return fmt.Errorf("unknown %s value %q (one of %v)", dim, v, def.values)
		}
		return nil
	}
	return def.check(v)
}

func checkCountry(v string) error {
	r, err := language.ParseRegion(v)
	if err != nil || len(v) != 2 || r.String() != v || !r.IsCountry() {
		return fmt.Errorf("unknown COUNTRY value %q (an ISO 3166-1 alpha-2 code such as KZ)", v)
	}
	return nil
}

// checkOperation accepts a plausible operation name or NoOperation;
// Compute then checks it names an operation in the database.
func checkOperation(v string) error {
	if v == "" || len(v) > 200 || !utf8.ValidString(v) {
		return fmt.Errorf("invalid OPERATION value %q (the name of a repatriation operation, or %s)", v, NoOperation)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return fmt.Errorf("invalid OPERATION value %q (control character)", v)
		}
	}
	return nil
}

func checkYear(v string) error {
	y, err := strconv.Atoi(v)
	if err != nil || len(v) != 4 || y < 1900 || y > 2999 {
		return fmt.Errorf("invalid RETURN_YEAR value %q (a four-digit year such as 2019)", v)
	}
	return nil
}

// compareValues orders two values of dim for display: closed sets in
// their declared order, years and codes ascending, NoOperation last.
func compareValues(dim Dimension, a, b string) int {
	if vals := dimensions[dim].values; vals != nil {
		return slices.Index(vals, a) - slices.Index(vals, b)
	}
	if dim == DimOperation && (a == NoOperation) != (b == NoOperation) {
		if a == NoOperation {
			return 1
		}
		return -1
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
