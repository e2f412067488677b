package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// hashReference is the chain hash as first defined: SHA-256 of the
// previous hash, a newline and json.Marshal of the canonical content.
// Events written since the start were hashed this way; Hash must agree
// with it byte for byte or they would no longer verify.
func hashReference(prev string, c canonical) string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func TestHashAgreesWithTheReferenceEncoding(t *testing.T) {
	recs := []Record{
		{ID: gid.New("doc"), Type: "Document", Returnee: gid.New("ret"), Category: domain.CategoryLegal, Level: domain.LevelSummary},
		{ID: gid.New("med"), Type: "MedicalRecord", Returnee: gid.New("ret"), Category: domain.CategoryMedical, Level: domain.LevelDetail},
		{ID: "odd<&>\"id\u2028", Type: "Type \"with\" quotes"},
	}
	cases := []struct {
		name string
		c    canonical
	}{
		{"read event with records", canonical{Seq: 7, At: "2026-12-01T10:00:00.123456Z", Kind: "READ", Decision: "ALLOW",
			User: gid.New("usr"), Org: gid.New("org"), Roles: []domain.Role{"CASE_MANAGER"}, Operation: "Dashboard",
			Purpose: "care", RequestID: "req-1", Records: marshalRecords(recs)}},
		{"no records", canonical{Seq: 1, Kind: "LOGIN", Decision: "DENY", Records: marshalRecords([]Record{}), Message: "bad token"}},
		{"nil records", canonical{Seq: 2, Kind: "WRITE", Decision: "ALLOW"}},
		{"strings that look like the records field", canonical{Seq: 3, Kind: "READ", Decision: "ALLOW",
			Operation: `"records":0,"flagged":`, Purpose: `x","records":0,"flagged":true`, Message: `<script>&"records":0,"flagged":`,
			Records: marshalRecords(recs[:1]), Flagged: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, prev := range []string{"", "abc123"} {
				if got, want := Hash(prev, tc.c), hashReference(prev, tc.c); got != want {
					t.Errorf("Hash(%q) = %s, the reference encoding gives %s", prev, got, want)
				}
			}
		})
	}
}
