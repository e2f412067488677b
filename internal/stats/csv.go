package stats

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
)

// CSV columns beside the dimensions and measures.
const (
	csvRowType      = "row_type"       // CELL, MARGIN or TOTAL
	csvAll          = "ALL"            // a dimension summed over
	csvStatusSuffix = "_STATUS"        // per measure: "" or the suppression reason
	csvAsOf         = "as_of"          // Report.AsOf, YYYY-MM-DD
	csvThreshold    = "suppress_up_to" // Report.SuppressUpTo
)

// CSV writes the report as one table: a row per cell, then the margins,
// then the total. Each measure has a value column (empty when withheld or
// undefined) and a status column with the suppression reason. The as-of
// date and threshold are repeated on every row so that any extract of the
// file still carries them.
func (r *Report) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := []string{csvRowType}
	for _, d := range r.GroupBy {
		header = append(header, string(d))
	}
	for _, m := range r.Measures {
		header = append(header, string(m), string(m)+csvStatusSuffix)
	}
	header = append(header, csvAsOf, csvThreshold)
	if err := cw.Write(header); err != nil {
		return err
	}
	write := func(kind string, c Cell) error {
		rec := []string{kind}
		for _, d := range r.GroupBy {
			v, ok := c.Dimensions[d]
			if !ok {
				v = csvAll
			}
			rec = append(rec, csvSafe(v))
		}
		for _, m := range r.Measures {
			v := c.Values[m]
			s := ""
			if v.Value != nil {
				s = strconv.FormatFloat(*v.Value, 'f', -1, 64)
			}
			rec = append(rec, s, v.Reason)
		}
		rec = append(rec, r.AsOf.Format(time.DateOnly), strconv.Itoa(r.SuppressUpTo))
		return cw.Write(rec)
	}
	for _, c := range r.Cells {
		if err := write("CELL", c); err != nil {
			return err
		}
	}
	for _, c := range r.Margins {
		if err := write("MARGIN", c); err != nil {
			return err
		}
	}
	if err := write("TOTAL", r.Total); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses spreadsheet formulas: an operation name is entered by
// staff and could begin with "=", "+", "-" or "@".
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
