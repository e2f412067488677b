package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/rdrr-project/rdrr/authz"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// The fixed part of the demo world: the organisations of the three national
// programmes, their staff accounts (one per role, so every row of the default
// policy can be tried out) and the repatriation operations.

type orgDef struct {
	slug    string
	kind    organisation.Kind
	country string // "" for international bodies
	name    string
}

var orgDefs = []orgDef{
	{"gov-kz", organisation.KindGOVERNMENT, "KZ", "Ministry of Information and Social Development (demo)"},
	{"ngo-kz", organisation.KindNGO, "KZ", "Steppe Family Rehabilitation Centre (demo)"},
	{"prison-kz", organisation.KindPRISON, "KZ", "Penitentiary Committee, Correctional Facility No. 0 (demo)"},
	{"gov-uz", organisation.KindGOVERNMENT, "UZ", "Republican Commission for Rehabilitation of Returnees (demo)"},
	{"ngo-uz", organisation.KindNGO, "UZ", "Mahalla Women and Children Support Centre (demo)"},
	{"gov-kg", organisation.KindGOVERNMENT, "KG", "Ministry of Labour, Social Security and Migration (demo)"},
	{"donor", organisation.KindINTERNATIONAL_ORGANISATION, "", "International Reintegration Fund (demo)"},
	{"operator", organisation.KindOPERATOR, "", "RDRR Platform Operator (demo)"},
}

// Account is a demo login: its e-mail address, organisation slug and role.
type Account struct {
	Email string
	Org   string
	Role  domain.Role
}

// Accounts are the demo users Demo creates, one role each.
var Accounts = []Account{
	{"case.manager@gov-kz.example", "gov-kz", domain.RoleCaseManager},
	{"legal@gov-kz.example", "gov-kz", domain.RoleLegalOfficer},
	{"psychologist@ngo-kz.example", "ngo-kz", domain.RoleClinician},
	{"theologian@ngo-kz.example", "ngo-kz", domain.RoleTheologian},
	{"social@ngo-kz.example", "ngo-kz", domain.RoleSocialWorker},
	{"officer@prison-kz.example", "prison-kz", domain.RolePrisonOfficer},
	{"case.manager@gov-uz.example", "gov-uz", domain.RoleCaseManager},
	{"psychologist@ngo-uz.example", "ngo-uz", domain.RoleClinician},
	{"case.manager@gov-kg.example", "gov-kg", domain.RoleCaseManager},
	{"analyst@donor.example", "donor", domain.RoleAnalyst},
	{"admin@operator.example", "operator", domain.RoleAdmin},
	{"dpo@operator.example", "operator", domain.RoleDataProtectionOfficer},
}

// displayNames are the staff members' synthetic names.
var displayNames = map[string]string{
	"case.manager@gov-kz.example": "Aliya Demo-Sarsenova",
	"legal@gov-kz.example":        "Yerlan Demo-Tokhtarov",
	"psychologist@ngo-kz.example": "Dana Demo-Abenova",
	"theologian@ngo-kz.example":   "Ilyas Demo-Kaliyev",
	"social@ngo-kz.example":       "Saule Demo-Ospanova",
	"officer@prison-kz.example":   "Marat Demo-Ibrayev",
	"case.manager@gov-uz.example": "Malika Demo-Yusupova",
	"psychologist@ngo-uz.example": "Nodira Demo-Khamidova",
	"case.manager@gov-kg.example": "Bermet Demo-Osmonova",
	"analyst@donor.example":       "Claire Demo-Martin",
	"admin@operator.example":      "Operator Admin (demo)",
	"dpo@operator.example":        "Data Protection Officer (demo)",
}

// opDef is a repatriation operation and the days its flights landed.
// Returnees of an operation arrive on one of its waves (or a day or two
// later, while they are processed), so return dates cluster as in reality.
type opDef struct {
	country     string
	name        string
	start, end  time.Time
	waves       []time.Time
	description string
}

var opDefs = []opDef{
	{"KZ", "Zhusan", date(2019, 1, 7), date(2021, 2, 4),
		[]time.Time{date(2019, 1, 7), date(2019, 5, 9), date(2019, 5, 29), date(2019, 11, 22), date(2021, 2, 4)},
		"Humanitarian operation bringing Kazakh citizens, mostly women and children, back from camps in north-east Syria in several waves (demo description)."},
	{"UZ", "Mehr", date(2019, 5, 30), date(2021, 6, 1),
		[]time.Time{date(2019, 5, 30), date(2019, 10, 10), date(2020, 12, 14), date(2021, 3, 25), date(2021, 6, 1)},
		"\"Mehr\" (\"Kindness\"): Uzbekistan's return of women and children from Syria and Iraq in several waves (demo description)."},
	{"KG", "Small-scale returns", date(2019, 3, 1), date(2021, 3, 31),
		[]time.Time{date(2019, 3, 1), date(2020, 11, 20), date(2021, 3, 17), date(2021, 3, 31)},
		"Kyrgyzstan's small-scale returns of citizens, mostly children, on several flights (demo description)."},
}

// regions are the provinces and cities of residence, weighted roughly by
// where returnees come from (more from the south and the big cities).
var regions = map[string][]choice[string]{
	"KZ": {
		{"Almaty", 12}, {"Astana", 8}, {"Shymkent", 10}, {"Turkistan Region", 12}, {"Almaty Region", 7},
		{"Aktobe Region", 9}, {"Atyrau Region", 8}, {"Mangystau Region", 7}, {"West Kazakhstan Region", 6},
		{"Karaganda Region", 5}, {"Jambyl Region", 5}, {"Kyzylorda Region", 4}, {"East Kazakhstan Region", 3},
		{"Kostanay Region", 2}, {"Pavlodar Region", 1}, {"Akmola Region", 2}, {"North Kazakhstan Region", 1},
	},
	"UZ": {
		{"Tashkent", 14}, {"Tashkent Region", 8}, {"Andijan Region", 12}, {"Fergana Region", 12},
		{"Namangan Region", 11}, {"Samarkand Region", 7}, {"Bukhara Region", 5}, {"Kashkadarya Region", 6},
		{"Surkhandarya Region", 5}, {"Jizzakh Region", 3}, {"Syrdarya Region", 2}, {"Navoi Region", 2},
		{"Khorezm Region", 3}, {"Republic of Karakalpakstan", 2},
	},
	"KG": {
		{"Bishkek", 14}, {"Osh", 14}, {"Osh Region", 18}, {"Jalal-Abad Region", 20}, {"Batken Region", 8},
		{"Chuy Region", 10}, {"Issyk-Kul Region", 4}, {"Naryn Region", 2}, {"Talas Region", 3},
	},
}

// staff is an author of records: a user and their organisation.
type staff struct{ user, org gid.ID }

// country is one national programme with the organisations and staff that
// work on its cases.
type country struct {
	code    string
	share   int // weight among family groups
	names   *nameBank
	op      *opDef
	opID    gid.ID
	gov     gid.ID
	ngo     gid.ID // "" when the country has no NGO in the demo
	prison  gid.ID // "" likewise
	manager staff  // national government case manager
	legal   staff  // author of legal records
	clinic  staff  // NGO psychologist, or the case manager where there is none
	theo    staff  // NGO theologian, or the case manager
	risk    staff  // author of men's risk assessments
	social  staff  // organisation that assesses receiving families
	docAuth map[string]string
}

// world is everything fixed that the generated cases refer to.
type world struct {
	orgs      map[string]gid.ID // by slug
	users     map[string]gid.ID // by e-mail
	countries []*country
}

// createWorld writes organisations, users and their roles, and operations.
func createWorld(ctx context.Context, tx *ent.Tx, az *authz.Authorizer, g *gen) (*world, error) {
	w := &world{orgs: map[string]gid.ID{}, users: map[string]gid.ID{}}
	var orgs []*ent.OrganisationCreate
	for _, o := range orgDefs {
		id := g.id("org")
		w.orgs[o.slug] = id
		c := tx.Organisation.Create().SetID(id).SetSlug(o.slug).SetName(o.name).SetKind(o.kind)
		if o.country != "" {
			c.SetCountry(o.country)
		}
		orgs = append(orgs, c)
	}
	if err := tx.Organisation.CreateBulk(orgs...).Exec(ctx); err != nil {
		return nil, fmt.Errorf("creating organisations: %w", err)
	}
	var users []*ent.UserCreate
	for _, a := range Accounts {
		id := g.id("usr")
		w.users[a.Email] = id
		users = append(users, tx.User.Create().SetID(id).SetEmail(a.Email).
			SetName(displayNames[a.Email]).SetOrganisationID(w.orgs[a.Org]))
	}
	if err := tx.User.CreateBulk(users...).Exec(ctx); err != nil {
		return nil, fmt.Errorf("creating users: %w", err)
	}
	// Roles live in the policy store, not on the user row.
	for _, a := range Accounts {
		if err := az.SetRoles(ctx, tx, w.users[a.Email], []domain.Role{a.Role}); err != nil {
			return nil, fmt.Errorf("assigning role to %s: %w", a.Email, err)
		}
	}
	opIDs := map[string]gid.ID{}
	var ops []*ent.RepatriationOperationCreate
	for _, o := range opDefs {
		id := g.id("opn")
		opIDs[o.country] = id
		ops = append(ops, tx.RepatriationOperation.Create().SetID(id).SetName(o.name).SetCountry(o.country).
			SetStartedOn(o.start).SetEndedOn(o.end).SetDescription(o.description))
	}
	if err := tx.RepatriationOperation.CreateBulk(ops...).Exec(ctx); err != nil {
		return nil, fmt.Errorf("creating operations: %w", err)
	}
	w.countries = w.buildCountries(opIDs)
	return w, nil
}

func (w *world) staff(email string) staff {
	for _, a := range Accounts {
		if a.Email == email {
			return staff{w.users[email], w.orgs[a.Org]}
		}
	}
	panic("seed: unknown demo account " + email)
}

// buildCountries wires each programme to its organisations and authors:
// records are written by the organisation that does that work in the
// country (the NGO's psychologist where there is one, else the ministry).
func (w *world) buildCountries(opIDs map[string]gid.ID) []*country {
	kzm := w.staff("case.manager@gov-kz.example")
	uzm := w.staff("case.manager@gov-uz.example")
	kgm := w.staff("case.manager@gov-kg.example")
	return []*country{
		{
			code: "KZ", share: 55, names: &kzNames, op: &opDefs[0], opID: opIDs["KZ"],
			gov: w.orgs["gov-kz"], ngo: w.orgs["ngo-kz"], prison: w.orgs["prison-kz"],
			manager: kzm, legal: w.staff("legal@gov-kz.example"),
			clinic: w.staff("psychologist@ngo-kz.example"), theo: w.staff("theologian@ngo-kz.example"),
			risk: w.staff("officer@prison-kz.example"), social: w.staff("social@ngo-kz.example"),
			docAuth: map[string]string{
				"id":    "Migration Service, Ministry of Internal Affairs (demo)",
				"civil": "Civil Registry Office (demo)",
			},
		},
		{
			code: "UZ", share: 38, names: &uzNames, op: &opDefs[1], opID: opIDs["UZ"],
			gov: w.orgs["gov-uz"], ngo: w.orgs["ngo-uz"],
			manager: uzm, legal: uzm, clinic: w.staff("psychologist@ngo-uz.example"), theo: uzm, risk: uzm,
			social: w.staff("psychologist@ngo-uz.example"),
			docAuth: map[string]string{
				"id":    "Department of Migration and Citizenship, Ministry of Internal Affairs (demo)",
				"civil": "Civil Status Registry (ZAGS) (demo)",
			},
		},
		{
			code: "KG", share: 7, names: &kgNames, op: &opDefs[2], opID: opIDs["KG"],
			gov:     w.orgs["gov-kg"],
			manager: kgm, legal: kgm, clinic: kgm, theo: kgm, risk: kgm, social: kgm,
			docAuth: map[string]string{
				"id":    "State Registration Service (demo)",
				"civil": "Civil Registry, State Registration Service (demo)",
			},
		},
	}
}
