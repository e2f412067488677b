package stats

import "time"

// Measure is a number reported for every cell.
type Measure string

// The measures of the statistics query. Every share has the cell's
// returnees as its population (denominator); the median has the cell's
// returnees with an identity document issued on a known date.
const (
	// MeasureReturneeCount: returnees in the cell.
	MeasureReturneeCount Measure = "RETURNEE_COUNT"
	// MeasureShareWithIdentityDocument: share with at least one identity
	// document (passport, national ID, birth or citizenship certificate)
	// in status ISSUED.
	MeasureShareWithIdentityDocument Measure = "SHARE_WITH_IDENTITY_DOCUMENT"
	// MeasureMedianDaysToFirstDocument: median whole days from the return
	// date to the first issued identity document (0 when it was issued
	// before the return), over returnees who have one with an issue date.
	MeasureMedianDaysToFirstDocument Measure = "MEDIAN_DAYS_TO_FIRST_DOCUMENT"
	// MeasureShareInEmploymentOrTraining: share with an EMPLOYMENT or
	// VOCATIONAL_TRAINING intervention that is ACTIVE or COMPLETED.
	MeasureShareInEmploymentOrTraining Measure = "SHARE_IN_EMPLOYMENT_OR_TRAINING"
	// MeasureShareWithRecentMedicalRecord: share with a medical record
	// dated on one of the RecentMedicalDays days ending on the as-of date.
	MeasureShareWithRecentMedicalRecord Measure = "SHARE_WITH_RECENT_MEDICAL_RECORD"
	// MeasureShareHighRisk: share whose latest risk assessment (by
	// recorded_on, then id) has level HIGH.
	MeasureShareHighRisk Measure = "SHARE_HIGH_RISK"
)

// Measures lists every measure in a fixed order; it is the default.
var Measures = []Measure{
	MeasureReturneeCount, MeasureShareWithIdentityDocument, MeasureMedianDaysToFirstDocument,
	MeasureShareInEmploymentOrTraining, MeasureShareWithRecentMedicalRecord, MeasureShareHighRisk,
}

// RecentMedicalDays is the window of MeasureShareWithRecentMedicalRecord.
const RecentMedicalDays = 180

// identityDocumentTypes are the document types that prove identity or
// citizenship; residence registration and "other" do not.
var identityDocumentTypes = []string{"PASSPORT", "NATIONAL_ID", "BIRTH_CERTIFICATE", "CITIZENSHIP_CERTIFICATE"}

// subset is a set of returnees defined by their records. rows renders a
// SELECT of the returnee_id of every qualifying record, and for the
// identity-document subset also its issue date as "first" (the earliest
// is kept). All subsets are merged into one per-returnee CTE (query.go), so
// the returnees are joined once, whatever the number of measures.
type subset struct {
	name string
	rows func(d sqlDialect, a *args, asOf time.Time) (sel string, hasDate bool)
}

var (
	withIdentityDocument = subset{"idd", func(sqlDialect, *args, time.Time) (string, bool) {
		return "SELECT returnee_id, issued_on FROM documents" +
			" WHERE status = 'ISSUED' AND type IN (" + quoteList(identityDocumentTypes...) + ")", true
	}}
	inEmploymentOrTraining = subset{"wrk", func(sqlDialect, *args, time.Time) (string, bool) {
		return "SELECT returnee_id FROM interventions" +
			" WHERE type IN (" + quoteList("EMPLOYMENT", "VOCATIONAL_TRAINING") + ")" +
			" AND status IN (" + quoteList("ACTIVE", "COMPLETED") + ")", false
	}}
	withRecentMedicalRecord = subset{"med", func(d sqlDialect, a *args, asOf time.Time) (string, bool) {
		from := asOf.AddDate(0, 0, 1-RecentMedicalDays).Format(time.DateOnly)
		until := asOf.AddDate(0, 0, 1).Format(time.DateOnly) // exclusive
		return "SELECT returnee_id FROM medical_records" +
			" WHERE recorded_on >= " + d.date(a.add(from)) + " AND recorded_on < " + d.date(a.add(until)), false
	}}
	highRisk = subset{"rsk", func(sqlDialect, *args, time.Time) (string, bool) {
		return "SELECT returnee_id FROM (SELECT returnee_id, level, ROW_NUMBER() OVER" +
			" (PARTITION BY returnee_id ORDER BY recorded_on DESC, id DESC) AS rn FROM risk_assessments) latest" +
			" WHERE rn = 1 AND level = 'HIGH'", false
	}}
)

// shareSubsets maps each share measure to the subset it counts.
var shareSubsets = map[Measure]subset{
	MeasureShareWithIdentityDocument:    withIdentityDocument,
	MeasureShareInEmploymentOrTraining:  inEmploymentOrTraining,
	MeasureShareWithRecentMedicalRecord: withRecentMedicalRecord,
	MeasureShareHighRisk:                highRisk,
}

func isShare(m Measure) bool { _, ok := shareSubsets[m]; return ok }

// shareColumns maps each share measure to its 0/1 column in
// statistics_facts (snapshot.go).
var shareColumns = map[Measure]string{
	MeasureShareWithIdentityDocument:    "identity_document",
	MeasureShareInEmploymentOrTraining:  "employment_or_training",
	MeasureShareWithRecentMedicalRecord: "recent_medical_record",
	MeasureShareHighRisk:                "high_risk",
}
