package server_test

import (
	"testing"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/householdmember"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/gid"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestGuardiansOrder checks a case's guardians, read through node and
// through the case list, are those the database holds, in its order
// (family name, then ID, in the database's collation), whether the case
// has none, one or several; and that a viewer off the team sees none.
func TestGuardiansOrder(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		w := newWorld(t, s)
		e := w.e
		c := e.Store.Client
		hh, err := c.Household.Create().SetLabel("Family").AddReturneeIDs(w.onTeam.ID).Save(sysCtx())
		if err != nil {
			t.Fatal(err)
		}
		one := e.Case(t, w.gov, testenv.CaseOpts{Given: "Али", ReturnedAs: returnee.ReturnedAsCHILD, Sex: returnee.SexMALE}, w.ngo)
		none := e.Case(t, w.gov, testenv.CaseOpts{Given: "Aru", ReturnedAs: returnee.ReturnedAsCHILD, Sex: returnee.SexFEMALE}, w.ngo)
		if err := c.Household.UpdateOne(hh).AddReturneeIDs(one.ID, none.ID).Exec(sysCtx()); err != nil {
			t.Fatal(err)
		}
		for i, family := range []string{"zhumabaev", "Ахмедова", "Abdullaev", "abdullaev"} {
			m := c.HouseholdMember.Create().SetHouseholdID(hh.ID).SetGivenName("G").SetFamilyName(family).
				SetSex(householdmember.SexFEMALE).SetRelationship(householdmember.RelationshipAUNT_OR_UNCLE).SetIsGuardian(true).
				AddWardIDs(w.onTeam.ID)
			if i == 0 {
				m.AddWardIDs(one.ID)
			}
			if _, err := m.Save(sysCtx()); err != nil {
				t.Fatal(err)
			}
		}
		want := func(r *ent.Returnee) []gid.ID {
			ms, err := r.QueryGuardians().Order(householdmember.ByFamilyName(), householdmember.ByID()).All(sysCtx())
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]gid.ID, len(ms))
			for i, m := range ms {
				ids[i] = m.ID
			}
			return ids
		}
		type member struct{ ID gid.ID }
		same := func(name string, got []member, want []gid.ID) {
			t.Helper()
			if len(got) != len(want) {
				t.Fatalf("%s: %d guardians, want %d", name, len(got), len(want))
			}
			for i := range got {
				if got[i].ID != want[i] {
					t.Fatalf("%s: guardian %d is %s, want %s (order %v)", name, i, got[i].ID, want[i], want)
				}
			}
		}
		for _, r := range []*ent.Returnee{w.onTeam, one, none} {
			ids := want(r)
			// With and without other fields, under an alias: the node query
			// may or may not have loaded the guardians already.
			for _, q := range []string{
				`query($id: ID!) { node(id: $id) { ... on Returnee { guardians { id } } } }`,
				`query($id: ID!) { node(id: $id) { ... on Returnee { g: guardians { id familyName relationship } } } }`,
			} {
				var data struct {
					Node struct {
						Guardians []member
						G         []member
					}
				}
				e.Query(t, w.cm, q, map[string]any{"id": r.ID}).Decode(t, &data)
				same(string(r.ID), append(data.Node.Guardians, data.Node.G...), ids)
			}
		}
		var list struct {
			Returnees struct {
				Edges []struct {
					Node struct {
						ID        gid.ID
						Guardians []member
					}
				}
			}
		}
		e.Query(t, w.cm, `{ returnees(first: 50) { edges { node { id guardians { id } } } } }`, nil).Decode(t, &list)
		seen := 0
		for _, edge := range list.Returnees.Edges {
			for _, r := range []*ent.Returnee{w.onTeam, one, none} {
				if edge.Node.ID == r.ID {
					same("list "+string(r.ID), edge.Node.Guardians, want(r))
					seen++
				}
			}
		}
		if seen != 3 {
			t.Fatalf("the list shows %d of the 3 cases", seen)
		}
		// The Uzbek case manager is on none of these teams: not even the case.
		r := e.Query(t, w.cmUZ, `query($id: ID!) { node(id: $id) { ... on Returnee { guardians { id } } } }`, map[string]any{"id": w.onTeam.ID})
		if len(r.Errors) != 1 || r.Errors[0].Code() != "NOT_FOUND" {
			t.Fatalf("off the team: %s", r.Raw)
		}
	})
}
