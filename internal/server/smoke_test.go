package server_test

import (
	"testing"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

func TestSmoke(t *testing.T) {
	testenv.EachStore(t, func(t *testing.T, s testenv.Store) {
		e := testenv.Start(t, s.URL)
		gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
		ngo := e.Org(t, "ngo-kz", organisation.KindNGO, "KZ")
		cm := e.User(t, "cm@gov.example", gov, domain.RoleCaseManager)
		doc := e.User(t, "doc@ngo.example", ngo, domain.RoleClinician)
		r := e.Case(t, gov, testenv.CaseOpts{Given: "Нурлан", Family: "Ахмедов"}, ngo)
		e.AllRecords(t, r, doc)

		res := e.Query(t, e.Token(t, "cm@gov.example"), `{ me { user { email } roles organisation { slug } readableCategories }
		  returnees { totalCount edges { node { id givenName familyName
		    documents { totalCount edges { node { type status documentNumber } } }
		    medicalRecords { edges { node { summary detail authorOrganisation { slug } author { email } } } }
		    caseTeam { edges { node { organisation { slug } basis } } }
		  } } } }`, nil)
		t.Logf("%s", res.Raw)
		_ = cm
	})
}
