package seed

import (
	"slices"
	"time"

	"github.com/rdrr-project/rdrr/ent/householdmember"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Returnees are generated family by family, because that is how they came
// back: a mother with her children on one flight, children whose parents
// died or stayed behind, and men on their own. Per 100 returnees the mix of
// groups below gives about 65 children, 25 women and 10 men.

type groupKind int

const (
	groupMother   groupKind = iota // a woman with 1-4 children
	groupChildren                  // children without a returning mother, raised by grandparents
	groupMan                       // a man, sometimes returning to his parents
)

var groupKinds = []choice[groupKind]{{groupMother, 25}, {groupChildren, 4}, {groupMan, 10}}

// household is a receiving family: returnees living together and the
// relatives who support them.
type household struct {
	id      gid.ID
	c       *country
	label   string
	region  string
	notes   string
	people  []*person
	members []*member
	since   time.Time // when the returnees arrived
}

// member is a relative in a household who is not a returnee.
type member struct {
	id        gid.ID
	hh        *household
	name      spelling
	sex       householdmember.Sex
	birthYear int
	rel       householdmember.Relationship
	guardian  bool
	wards     []*person
}

// family is the surname and father of a group of siblings.
type family struct {
	surname    string   // male form, Cyrillic
	fatherName string   // father's given name, for patronymics
	patronymic bool     // whether the registry recorded patronymics
	given      []string // given names already used in the family
}

// givenName draws a given name no one else in the family has.
func (g *gen) givenName(f *family, from []string) string {
	n := pick(g, from)
	for i := 0; i < 20 && slices.Contains(f.given, n); i++ {
		n = pick(g, from)
	}
	f.given = append(f.given, n)
	return n
}

// group generates one family group of at most limit returnees.
func (g *gen) group(w *world, limit int) ([]*person, *household) {
	c := pickW(g, w.countryChoices())
	wave := pick(g, c.op.waves)
	returned := minDate(addDays(wave, pickW(g, []choice[int]{{0, 70}, {1, 20}, {2, 10}})), c.op.end)
	region := pickW(g, regions[c.code])
	f := &family{surname: pick(g, c.names.family), fatherName: pick(g, c.names.male), patronymic: g.chance(0.6)}
	kind := pickW(g, groupKinds)
	switch kind {
	case groupChildren:
		return g.childrenGroup(c, f, returned, region, limit)
	case groupMan:
		return g.manGroup(c, f, returned, region)
	default:
		return g.motherGroup(c, f, returned, region, limit)
	}
}

func (w *world) countryChoices() []choice[*country] {
	cs := make([]choice[*country], len(w.countries))
	for i, c := range w.countries {
		cs[i] = choice[*country]{c, c.share}
	}
	return cs
}

func (g *gen) newHousehold(c *country, surname, region string, since time.Time) *household {
	return &household{
		id: g.id("hhd"), c: c, region: region, since: since,
		label: latin(surname, passport) + " family",
		notes: pick(g, householdNotes),
	}
}

// motherGroup is a woman and her children. Children share their father's
// surname; the mother keeps hers about half the time.
func (g *gen) motherGroup(c *country, f *family, returned time.Time, region string, limit int) ([]*person, *household) {
	surname := f.surname
	if g.chance(0.45) {
		surname = pick(g, c.names.family) // her maiden name
	}
	m := g.newPerson(c, returnee.ReturnedAsADULT_WOMAN, returnee.SexFEMALE, spelling{
		given: g.givenName(f, c.names.female), family: femaleFamily(surname),
		patronymic: g.maybePatronymic(c, true),
	}, returned, region)
	year := pickW(g, []choice[[2]int]{{[2]int{1985, 2000}, 80}, {[2]int{1965, 1984}, 20}})
	m.birth, m.precision = g.birthDate(g.between(year[0], year[1]), returned, 90)
	m.custody = pickW(g, []choice[returnee.CustodyStatus]{
		{returnee.CustodyStatusFAMILY_HOME, 68}, {returnee.CustodyStatusINDEPENDENT_HOUSING, 12},
		{returnee.CustodyStatusREHABILITATION_CENTRE, 8}, {returnee.CustodyStatusPRISON, 7},
		{returnee.CustodyStatusPRE_TRIAL_DETENTION, 2}, {returnee.CustodyStatusOTHER, 3},
	})
	g.finish(m)
	people := []*person{m}

	n := min(pickW(g, []choice[int]{{1, 27}, {2, 33}, {3, 24}, {4, 16}}), limit-1)
	first := max(2005, m.birth.Year()+17)
	for range n {
		ch := g.child(c, f, returned, region, first)
		switch {
		case m.custody == returnee.CustodyStatusREHABILITATION_CENTRE || m.custody == returnee.CustodyStatusINDEPENDENT_HOUSING:
			ch.custody = m.custody // children stay with their mother
		case g.chance(0.04):
			ch.custody = returnee.CustodyStatusREHABILITATION_CENTRE
		default:
			ch.custody = returnee.CustodyStatusFAMILY_HOME
		}
		g.finish(ch)
		people = append(people, ch)
	}
	if n == 0 && !g.chance(0.6) {
		// Only when the requested total cuts the family short: a woman on
		// her own, living independently.
		return people, nil
	}
	hh := g.newHousehold(c, f.surname, region, returned)
	// Grandparents take the children in when the mother is held, and often
	// live with the family anyway.
	absent := m.detained()
	if absent || g.chance(0.55) {
		paternal := g.chance(0.5)
		side := f.surname
		if !paternal {
			side = surname
		}
		gps := g.grandparents(c, hh, side, 1945, m.birth.Year()-18)
		kids := people[1:]
		if len(kids) > 0 && (absent || g.chance(0.3)) {
			g.makeGuardians(gps, kids)
		}
	}
	g.join(hh, people)
	return people, hh
}

// childrenGroup is children with no returning mother, raised by their
// grandparents, who are their guardians.
func (g *gen) childrenGroup(c *country, f *family, returned time.Time, region string, limit int) ([]*person, *household) {
	n := min(pickW(g, []choice[int]{{1, 30}, {2, 35}, {3, 20}, {4, 15}}), limit)
	hh := g.newHousehold(c, f.surname, region, returned)
	var kids []*person
	for range n {
		ch := g.child(c, f, returned, region, 2005)
		ch.custody = returnee.CustodyStatusFAMILY_HOME
		if g.chance(0.1) {
			ch.custody = returnee.CustodyStatusREHABILITATION_CENTRE
		}
		g.finish(ch)
		kids = append(kids, ch)
	}
	gps := g.grandparents(c, hh, f.surname, 1945, 1972)
	g.makeGuardians(gps, kids)
	if g.chance(0.15) {
		sex := pickW(g, []choice[householdmember.Sex]{{householdmember.SexFEMALE, 60}, {householdmember.SexMALE, 40}})
		g.addMember(hh, c, sex, f.surname, g.between(1975, 1995), householdmember.RelationshipAUNT_OR_UNCLE)
	}
	g.join(hh, kids)
	return kids, hh
}

// manGroup is a man; about a third return to (or, once released, will live
// with) their parents.
func (g *gen) manGroup(c *country, f *family, returned time.Time, region string) ([]*person, *household) {
	m := g.newPerson(c, returnee.ReturnedAsADULT_MAN, returnee.SexMALE, spelling{
		given: pick(g, c.names.male), family: f.surname, patronymic: g.maybePatronymic(c, false),
	}, returned, region)
	m.birth, m.precision = g.birthDate(g.between(1965, 1998), returned, 90)
	m.custody = pickW(g, []choice[returnee.CustodyStatus]{
		{returnee.CustodyStatusPRISON, 72}, {returnee.CustodyStatusPRE_TRIAL_DETENTION, 10},
		{returnee.CustodyStatusFAMILY_HOME, 14}, {returnee.CustodyStatusINDEPENDENT_HOUSING, 2},
		{returnee.CustodyStatusOTHER, 2},
	})
	g.finish(m)
	if !g.chance(0.35) {
		return []*person{m}, nil
	}
	hh := g.newHousehold(c, f.surname, region, returned)
	by := m.birth.Year()
	mother := g.chance(0.9)
	if mother {
		g.addMember(hh, c, householdmember.SexFEMALE, f.surname, by-g.between(18, 35), householdmember.RelationshipMOTHER)
	}
	if !mother || g.chance(0.55) {
		g.addMember(hh, c, householdmember.SexMALE, f.surname, by-g.between(20, 40), householdmember.RelationshipFATHER)
	}
	g.join(hh, []*person{m})
	return []*person{m}, hh
}

// child draws a child of family f born no earlier than first.
func (g *gen) child(c *country, f *family, returned time.Time, region string, first int) *person {
	female := g.chance(0.5)
	n := spelling{family: f.surname}
	sex := returnee.SexMALE
	if female {
		sex = returnee.SexFEMALE
		n.given = g.givenName(f, c.names.female)
		n.family = femaleFamily(f.surname)
	} else {
		n.given = g.givenName(f, c.names.male)
	}
	if f.patronymic {
		n.patronymic = patronymic(f.fatherName, female)
	}
	p := g.newPerson(c, returnee.ReturnedAsCHILD, sex, n, returned, region)
	// Most children were born or grew up in the camps: birth years lean
	// towards 2013-2018.
	last := min(2019, returned.Year())
	lo := first
	if g.chance(0.7) {
		lo = max(first, 2013)
	}
	p.birth, p.precision = g.birthDate(g.between(min(lo, last), last), returned, 75)
	return p
}

func (g *gen) maybePatronymic(c *country, female bool) string {
	if !g.chance(0.65) {
		return ""
	}
	return patronymic(pick(g, c.names.male), female)
}

// grandparents adds a grandmother and/or grandfather.
func (g *gen) grandparents(c *country, hh *household, surname string, from, to int) []*member {
	to = max(to, from)
	var out []*member
	gm := g.chance(0.88)
	if gm {
		out = append(out, g.addMember(hh, c, householdmember.SexFEMALE, surname, g.between(from, min(to, 1972)), householdmember.RelationshipGRANDMOTHER))
	}
	if !gm || g.chance(0.5) {
		out = append(out, g.addMember(hh, c, householdmember.SexMALE, surname, g.between(from, min(to, 1968)), householdmember.RelationshipGRANDFATHER))
	}
	return out
}

// makeGuardians records the first grandparent (and sometimes the second) as
// guardian of the children.
func (g *gen) makeGuardians(gps []*member, kids []*person) {
	for i, gp := range gps {
		if i > 0 && !g.chance(0.4) {
			break
		}
		gp.guardian = true
		gp.wards = append(gp.wards, kids...)
		for _, k := range kids {
			k.guardians = append(k.guardians, gp)
		}
	}
}

func (g *gen) addMember(hh *household, c *country, sex householdmember.Sex, surname string, year int, rel householdmember.Relationship) *member {
	given := pick(g, c.names.male)
	if sex == householdmember.SexFEMALE {
		given = pick(g, c.names.female)
		surname = femaleFamily(surname)
	}
	m := &member{id: g.id("hhm"), hh: hh, sex: sex, birthYear: year, rel: rel, name: spelling{given: given, family: surname}}
	// Relatives are written in the script of the household's first returnee
	// (set in join), so keep the Cyrillic here.
	hh.members = append(hh.members, m)
	return m
}

// join puts people into hh and writes its members' names in the script the
// agency used for the household's first returnee.
func (g *gen) join(hh *household, people []*person) {
	hh.people = append(hh.people, people...)
	for _, p := range people {
		p.hh = hh
	}
	if len(people) == 0 || isCyrillic(people[0].name.family) {
		return
	}
	sc := pick(g, []scheme{passport, national[hh.c.code], informal})
	for _, m := range hh.members {
		m.name = spelling{given: latin(m.name.given, sc), family: latin(m.name.family, sc)}
	}
}

func isCyrillic(s string) bool {
	for _, r := range s {
		if r >= 0x0400 && r <= 0x04FF {
			return true
		}
	}
	return false
}
