package stats

import (
	"database/sql"
	"math"
	"slices"
	"testing"
	"time"
)

// The oracle recomputes the true, unprotected figures from raw rows in Go,
// with its own reading of every definition, so tests can compare the
// package's SQL against it. (Loading rows is fine in a test.)

type truePerson struct {
	dims                   map[Dimension]string
	key                    int64
	excluded               bool
	idDoc, work, med, high bool
	days                   *float64 // days from return to first dated identity document
}

type oracle struct {
	people []truePerson
	asOf   time.Time
}

func loadOracle(t testing.TB, db *sql.DB, asOf time.Time) *oracle {
	t.Helper()
	o := &oracle{asOf: asOf}
	rows, err := db.Query(`SELECT r.id, r.sex, r.birth_date, r.citizenship, r.returned_as, r.return_date,
		o.name, r.phase, r.custody_status, r.stats_key, r.excluded_from_statistics
		FROM returnees r LEFT JOIN repatriation_operations o ON o.id = r.operation_id`)
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]int{}
	returned := map[string]time.Time{}
	for rows.Next() {
		var (
			id, sex, country, cat, phase, custody string
			birth                                 sql.NullTime
			ret                                   time.Time
			op                                    sql.NullString
			key                                   int64
			excl                                  bool
		)
		if err := rows.Scan(&id, &sex, &birth, &country, &cat, &ret, &op, &phase, &custody, &key, &excl); err != nil {
			t.Fatal(err)
		}
		opName := NoOperation
		if op.Valid {
			opName = op.String
		}
		band := UnknownAgeBand
		if birth.Valid {
			band = oracleBand(birth.Time, asOf)
		}
		index[id] = len(o.people)
		returned[id] = ret
		o.people = append(o.people, truePerson{
			dims: map[Dimension]string{
				DimCountry: country, DimOperation: opName, DimReturnYear: ret.Format("2006"),
				DimCategory: cat, DimSex: sex, DimAgeBand: band, DimPhase: phase, DimCustody: custody,
			},
			key: key, excluded: excl,
		})
	}
	rows.Close()

	firstDoc := map[string]time.Time{}
	forEach(t, db, `SELECT returnee_id, type, status, issued_on FROM documents`, func(r *sql.Rows) {
		var id, typ, status string
		var issued sql.NullTime
		if err := r.Scan(&id, &typ, &status, &issued); err != nil {
			t.Fatal(err)
		}
		if status != "ISSUED" || !slices.Contains([]string{"PASSPORT", "NATIONAL_ID", "BIRTH_CERTIFICATE", "CITIZENSHIP_CERTIFICATE"}, typ) {
			return
		}
		o.people[index[id]].idDoc = true
		if issued.Valid {
			if f, ok := firstDoc[id]; !ok || issued.Time.Before(f) {
				firstDoc[id] = issued.Time
			}
		}
	})
	for id, f := range firstDoc {
		d := math.Max(0, math.Round(f.Sub(returned[id]).Hours()/24))
		o.people[index[id]].days = &d
	}
	forEach(t, db, `SELECT returnee_id, type, status FROM interventions`, func(r *sql.Rows) {
		var id, typ, status string
		if err := r.Scan(&id, &typ, &status); err != nil {
			t.Fatal(err)
		}
		if (typ == "EMPLOYMENT" || typ == "VOCATIONAL_TRAINING") && (status == "ACTIVE" || status == "COMPLETED") {
			o.people[index[id]].work = true
		}
	})
	forEach(t, db, `SELECT returnee_id, recorded_on FROM medical_records`, func(r *sql.Rows) {
		var id string
		var on time.Time
		if err := r.Scan(&id, &on); err != nil {
			t.Fatal(err)
		}
		age := asOf.Sub(on.UTC()).Hours() / 24
		if age >= 0 && age < RecentMedicalDays {
			o.people[index[id]].med = true
		}
	})
	type assessment struct {
		on        time.Time
		id, level string
	}
	latest := map[string]assessment{}
	forEach(t, db, `SELECT returnee_id, id, level, recorded_on FROM risk_assessments`, func(r *sql.Rows) {
		var rid string
		var a assessment
		if err := r.Scan(&rid, &a.id, &a.level, &a.on); err != nil {
			t.Fatal(err)
		}
		if l, ok := latest[rid]; !ok || a.on.After(l.on) || (a.on.Equal(l.on) && a.id > l.id) {
			latest[rid] = a
		}
	})
	for rid, a := range latest {
		o.people[index[rid]].high = a.level == "HIGH"
	}
	return o
}

func forEach(t testing.TB, db *sql.DB, q string, f func(*sql.Rows)) {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		f(rows)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// oracleBand computes the age in whole years the usual way.
func oracleBand(birth, asOf time.Time) string {
	age := asOf.Year() - birth.Year()
	if asOf.Month() < birth.Month() || (asOf.Month() == birth.Month() && asOf.Day() < birth.Day()) {
		age--
	}
	for i, start := range append(ageBandStarts, 1000) {
		if age < start {
			return AgeBands[i]
		}
	}
	panic("unreachable")
}

// trueCell is what the oracle knows about the members of one cell.
type trueCell struct {
	n, keySum int64
	idDoc     int64
	work      int64
	med       int64
	high      int64
	days      []float64
}

// matches reports whether p belongs to the cell with dimension values
// dims under the filters where.
func matches(p truePerson, dims map[Dimension]string, where map[Dimension][]string) bool {
	if p.excluded {
		return false
	}
	for d, v := range dims {
		if p.dims[d] != v {
			return false
		}
	}
	for d, vals := range where {
		if !slices.Contains(vals, p.dims[d]) {
			return false
		}
	}
	return true
}

func (o *oracle) cell(dims map[Dimension]string, where map[Dimension][]string) trueCell {
	var c trueCell
	for _, p := range o.people {
		if !matches(p, dims, where) {
			continue
		}
		c.n++
		c.keySum += p.key
		if p.idDoc {
			c.idDoc++
		}
		if p.work {
			c.work++
		}
		if p.med {
			c.med++
		}
		if p.high {
			c.high++
		}
		if p.days != nil {
			c.days = append(c.days, *p.days)
		}
	}
	return c
}

func (c trueCell) share(m Measure) float64 {
	num := map[Measure]int64{
		MeasureShareWithIdentityDocument:    c.idDoc,
		MeasureShareInEmploymentOrTraining:  c.work,
		MeasureShareWithRecentMedicalRecord: c.med,
		MeasureShareHighRisk:                c.high,
	}[m]
	return float64(num) / float64(c.n)
}

func (c trueCell) median() float64 {
	d := slices.Clone(c.days)
	slices.Sort(d)
	n := len(d)
	if n%2 == 1 {
		return d[n/2]
	}
	return (d[n/2-1] + d[n/2]) / 2
}

// allCells lists a report's cells, margins and total.
func allCells(r *Report) []Cell {
	out := append(slices.Clone(r.Cells), r.Margins...)
	return append(out, r.Total)
}
