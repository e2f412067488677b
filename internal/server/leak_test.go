package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rdrr-project/rdrr/internal/testenv"
)

// Leak tests: a case outside the viewer's teams must not show through any
// side channel. Each test fails if the row filter is removed.

func TestHiddenCaseIsNotListedCountedOrSearchable(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		for _, q := range []string{
			`{ returnees { totalCount edges { node { id familyName } } } }`,
			`{ returnees(search: "Karimova") { totalCount edges { node { id } } } }`,
			`{ returnees(where: {citizenship: "UZ"}) { totalCount edges { node { id } } } }`,
			`{ returnees(where: {citizenshipIn: ["UZ", "KZ"]}, orderBy: [{field: FAMILY_NAME, direction: DESC}]) { totalCount edges { node { id } } } }`,
			`{ returnees(last: 100) { totalCount edges { node { id } } } }`,
		} {
			res := w.e.Query(t, w.clin, q, nil)
			var d struct {
				Returnees struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
			}
			res.Decode(t, &d)
			for _, ed := range d.Returnees.Edges {
				if ed.Node.ID == string(w.offTeam.ID) {
					t.Errorf("%s lists the hidden case", q)
				}
			}
			if strings.Contains(q, "Karimova") || strings.Contains(q, `"UZ"}`) {
				if d.Returnees.TotalCount != 0 {
					t.Errorf("%s counts %d", q, d.Returnees.TotalCount)
				}
			} else if d.Returnees.TotalCount != 1 {
				t.Errorf("%s counts %d, want 1", q, d.Returnees.TotalCount)
			}
		}
	})
}

func TestHiddenIDAnswersLikeAnUnknownID(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		hidden := string(w.offTeam.ID)
		never := string(testenv.MustID("ret"))
		shapes := []string{
			`query($id: ID!) { node(id: $id) { id ... on Returnee { familyName } } }`,
			`query($id: ID!) { nodes(ids: [$id]) { id } }`,
			`query($id: ID!) { updateReturnee: node(id: $id) { id } }`,
		}
		for _, q := range shapes {
			a := w.e.Query(t, w.clin, q, map[string]any{"id": hidden})
			b := w.e.Query(t, w.clin, q, map[string]any{"id": never})
			if string(a.Data) != string(b.Data) || !sameErrors(a, b) {
				t.Errorf("%s\nhidden: %s\nnever issued: %s", q, a.Raw, b.Raw)
			}
			if len(a.Errors) != 1 || a.Errors[0].Code() != "NOT_FOUND" {
				t.Errorf("%s: want one NOT_FOUND, got %s", q, a.Raw)
			}
		}
		// Mutations on a hidden case answer like on an unknown one.
		m := `mutation($id: ID!) { updateReturnee(id: $id, version: 1, input: {region: "X"}) { id } }`
		a := w.e.Query(t, w.cmUZ, m, map[string]any{"id": string(w.onTeam.ID)})
		b := w.e.Query(t, w.cmUZ, m, map[string]any{"id": never})
		if !sameErrors(a, b) || a.Errors[0].Code() != "NOT_FOUND" {
			t.Errorf("update of hidden vs unknown:\n%s\n%s", a.Raw, b.Raw)
		}
		c := `mutation($id: ID!) { createMedicalRecord(input: {returneeId: $id, summary: "s", recordedOn: "2025-01-01", kind: DIAGNOSIS}) { id } }`
		a = w.e.Query(t, w.clin, c, map[string]any{"id": hidden})
		b = w.e.Query(t, w.clin, c, map[string]any{"id": never})
		if !sameErrors(a, b) || a.Errors[0].Code() != "NOT_FOUND" {
			t.Errorf("record on hidden vs unknown case:\n%s\n%s", a.Raw, b.Raw)
		}
		// Records of the hidden case, fetched by their own IDs, too.
		var recID string
		rows, err := w.e.Store.Client.MedicalRecord.Query().IDs(sysCtx())
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range rows {
			r, _ := w.e.Store.Client.MedicalRecord.Get(sysCtx(), id)
			if r.ReturneeID == w.offTeam.ID {
				recID = string(id)
			}
		}
		a = w.e.Query(t, w.clin, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": recID})
		b = w.e.Query(t, w.clin, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": string(testenv.MustID("med"))})
		if !sameErrors(a, b) {
			t.Errorf("medical record of hidden case vs unknown:\n%s\n%s", a.Raw, b.Raw)
		}
		// Malformed and foreign IDs, and IDs of another type, are unknown IDs.
		for _, id := range []string{"", "x", "ret_", "'; DROP TABLE returnees; --", "usr_" + hidden[4:], "12345", "ret_" + strings.Repeat("z", 26)} {
			r := w.e.Query(t, w.clin, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
			if !sameErrors(r, b) {
				t.Errorf("id %q: %s", id, r.Raw)
			}
		}
	})
}

func sameErrors(a, b *testenv.Response) bool {
	if len(a.Errors) != len(b.Errors) {
		return false
	}
	for i := range a.Errors {
		if a.Errors[i].Message != b.Errors[i].Message || a.Errors[i].Code() != b.Errors[i].Code() {
			return false
		}
		pa, _ := json.Marshal(a.Errors[i].Path)
		pb, _ := json.Marshal(b.Errors[i].Path)
		if string(pa) != string(pb) {
			return false
		}
	}
	return true
}

// TestNoFilterReachesSensitiveData is the regression test for ent's edge
// predicates: privacy filters do not apply inside has...With predicates of
// generated WhereInputs, so no filter input may offer them, nor any
// detail-level column.
func TestNoFilterReachesSensitiveData(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	res := w.e.Query(t, w.cm, `{ __schema { types { name kind inputFields { name } } } }`, nil)
	var d struct {
		Schema struct {
			Types []struct {
				Name, Kind  string
				InputFields []struct{ Name string }
			}
		} `json:"__schema"`
	}
	res.Decode(t, &d)
	banned := []string{"detail", "summary", "score", "documentNumber", "notes", "nameKey", "reason"}
	n := 0
	for _, ty := range d.Schema.Types {
		if !strings.HasSuffix(ty.Name, "WhereInput") {
			continue
		}
		n++
		for _, f := range ty.InputFields {
			if strings.HasPrefix(f.Name, "has") || f.Name == "not" || f.Name == "or" || f.Name == "and" {
				t.Errorf("%s offers %s", ty.Name, f.Name)
			}
			for _, b := range banned {
				if strings.HasPrefix(f.Name, b) {
					t.Errorf("%s filters on %s", ty.Name, f.Name)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no WhereInput types found")
	}
	// And the schema refuses them when sent anyway.
	r := w.e.Query(t, w.clin, `{ returnees(where: {hasMedicalRecordsWith: [{detailContains: "PTSD"}]}) { totalCount } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Code() != "BAD_USER_INPUT" || string(r.Data) != "" && string(r.Data) != "null" {
		t.Errorf("hasMedicalRecordsWith: %s", r.Raw)
	}
}

// TestDeniedEdgeIsNullWithOneForbiddenError: a category the viewer may not
// read, on a case they can see, is null plus one FORBIDDEN error with its
// path; the rest of the answer is intact.
func TestDeniedEdgeIsNullWithOneForbiddenError(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		res := w.e.Query(t, w.clin, `{ returnees { edges { node { familyName legalRecords { totalCount } medicalRecords { totalCount } } } } }`, nil)
		if len(res.Errors) != 1 || res.Errors[0].Code() != "FORBIDDEN" {
			t.Fatalf("want one FORBIDDEN error: %s", res.Raw)
		}
		path, _ := json.Marshal(res.Errors[0].Path)
		if string(path) != `["returnees","edges",0,"node","legalRecords"]` {
			t.Errorf("path %s", path)
		}
		var d struct {
			Returnees struct {
				Edges []struct {
					Node struct {
						FamilyName     string
						LegalRecords   *struct{ TotalCount int }
						MedicalRecords *struct{ TotalCount int }
					}
				}
			}
		}
		res.DecodeData(t, &d)
		n := d.Returnees.Edges[0].Node
		if n.FamilyName == "" || n.LegalRecords != nil || n.MedicalRecords == nil || n.MedicalRecords.TotalCount != 1 {
			t.Errorf("rest of the answer damaged: %s", res.Raw)
		}
	})
}
