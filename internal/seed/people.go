package seed

import (
	"time"

	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// person is one returnee as generated, before it becomes a database row.
// The case records are derived from it, so it also carries the facts they
// must agree with (custody, release, who is on the team).
type person struct {
	id        gid.ID
	c         *country
	as        returnee.ReturnedAs
	sex       returnee.Sex
	name      spelling // as the lead agency recorded it
	alts      []string // other spellings of the full name
	birth     time.Time
	precision returnee.BirthDatePrecision
	cit       returnee.CitizenshipStatus
	returned  time.Time
	phase     returnee.Phase
	custody   returnee.CustodyStatus
	region    string
	excluded  bool
	hh        *household
	guardians []*member // household members who are this child's guardians

	// Set while generating the case team and records.
	ngoSince, ngoUntil time.Time // zero ngoSince: the NGO is not on the team
	released           time.Time // men released from prison
	sentenceYears      int
	ngoMedical         bool // the NGO wrote medical records (consents follow)
	ngoTheo            bool // the NGO wrote theological records
}

func (p *person) child() bool { return p.as == returnee.ReturnedAsCHILD }
func (p *person) man() bool   { return p.as == returnee.ReturnedAsADULT_MAN }
func (p *person) woman() bool { return p.as == returnee.ReturnedAsADULT_WOMAN }

// detained reports whether the person is held in prison or pre-trial
// detention now.
func (p *person) detained() bool {
	return p.custody == returnee.CustodyStatusPRISON || p.custody == returnee.CustodyStatusPRE_TRIAL_DETENTION
}

// hasNGO reports whether the national NGO is on the team at all.
func (p *person) hasNGO() bool { return !p.ngoSince.IsZero() }

// ngoWindow is the span in which the NGO can have written records.
func (p *person) ngoWindow() (time.Time, time.Time) {
	end := today
	if !p.ngoUntil.IsZero() {
		end = p.ngoUntil
	}
	return p.ngoSince, end
}

// newPerson draws the parts of a returnee that do not depend on the family:
// ID, name rendering, citizenship status, phase. Birth date and custody are
// set by the family builder, which knows the mother's age and custody.
func (g *gen) newPerson(c *country, as returnee.ReturnedAs, sex returnee.Sex, cyr spelling, returned time.Time, region string) *person {
	p := &person{id: g.id("ret"), c: c, as: as, sex: sex, returned: returned, region: region}
	p.name, p.alts = g.render(c, cyr)
	p.excluded = g.chance(0.01)
	return p
}

// render picks how the lead agency wrote the name (about half Cyrillic,
// half one of the Latin transliterations) and which other spellings were
// seen in documents, preferring the other script first.
func (g *gen) render(c *country, cyr spelling) (spelling, []string) {
	all := spellings(c.code, cyr)
	primary := 0
	if len(all) > 1 && g.chance(0.5) {
		primary = 1 + g.r.IntN(len(all)-1)
	}
	n := pickW(g, []choice[int]{{0, 30}, {1, 45}, {2, 25}})
	var order []int
	if primary != 0 {
		order = append(order, 0) // the Cyrillic original
	}
	latin := make([]int, 0, len(all))
	for i := 1; i < len(all); i++ {
		if i != primary {
			latin = append(latin, i)
		}
	}
	g.r.Shuffle(len(latin), func(i, j int) { latin[i], latin[j] = latin[j], latin[i] })
	order = append(order, latin...)
	var alts []string
	for _, i := range order {
		if len(alts) == n {
			break
		}
		alts = append(alts, all[i].full())
	}
	return all[primary], alts
}

// birthDate draws a date of birth in year y that is before the return, and
// how precisely it is known. Children born in the camps often have no
// papers, so their dates are more often estimated.
func (g *gen) birthDate(y int, returned time.Time, exact int) (time.Time, returnee.BirthDatePrecision) {
	last := minDate(date(y, 12, 31), addDays(returned, -20))
	d := g.dateIn(date(y, 1, 1), last)
	switch pickW(g, []choice[returnee.BirthDatePrecision]{
		{returnee.BirthDatePrecisionEXACT, exact},
		{returnee.BirthDatePrecisionESTIMATED, (100 - exact) * 6 / 10},
		{returnee.BirthDatePrecisionYEAR, (100 - exact) * 4 / 10},
	}) {
	case returnee.BirthDatePrecisionYEAR:
		return date(y, 1, 1), returnee.BirthDatePrecisionYEAR
	case returnee.BirthDatePrecisionESTIMATED:
		if e := date(y, 7, 1); !e.After(last) {
			d = e
		}
		return d, returnee.BirthDatePrecisionESTIMATED
	}
	return d, returnee.BirthDatePrecisionEXACT
}

// citizenship draws the citizenship status. Children born abroad after 2014
// more often wait for verification; Kyrgyzstan can deprive adults of
// citizenship.
func (g *gen) citizenship(p *person) returnee.CitizenshipStatus {
	if p.c.code == "KG" && !p.child() && g.chance(0.12) {
		return returnee.CitizenshipStatusDEPRIVED
	}
	type cs = choice[returnee.CitizenshipStatus]
	switch {
	case p.child() && p.birth.Year() >= 2014:
		return pickW(g, []cs{
			{returnee.CitizenshipStatusCONFIRMED, 72}, {returnee.CitizenshipStatusPENDING_VERIFICATION, 20},
			{returnee.CitizenshipStatusUNDETERMINED, 5}, {returnee.CitizenshipStatusSTATELESS, 3},
		})
	case p.child():
		return pickW(g, []cs{
			{returnee.CitizenshipStatusCONFIRMED, 88}, {returnee.CitizenshipStatusPENDING_VERIFICATION, 10},
			{returnee.CitizenshipStatusUNDETERMINED, 2},
		})
	default:
		return pickW(g, []cs{
			{returnee.CitizenshipStatusCONFIRMED, 88}, {returnee.CitizenshipStatusPENDING_VERIFICATION, 8},
			{returnee.CitizenshipStatusUNDETERMINED, 2}, {returnee.CitizenshipStatusSTATELESS, 2},
		})
	}
}

// phase draws the RDRR phase, consistent with custody: people in detention
// are disengaging or in rehabilitation, released men are reintegrating, and
// most women and children, back for five years or more, are reintegrating.
func (g *gen) phase(p *person) returnee.Phase {
	type ph = choice[returnee.Phase]
	switch {
	case p.custody == returnee.CustodyStatusPRE_TRIAL_DETENTION:
		return pickW(g, []ph{{returnee.PhaseREPATRIATION, 30}, {returnee.PhaseDISENGAGEMENT, 70}})
	case p.custody == returnee.CustodyStatusPRISON:
		return pickW(g, []ph{{returnee.PhaseDISENGAGEMENT, 35}, {returnee.PhaseREHABILITATION, 65}})
	case p.custody == returnee.CustodyStatusREHABILITATION_CENTRE:
		return pickW(g, []ph{{returnee.PhaseDISENGAGEMENT, 10}, {returnee.PhaseREHABILITATION, 90}})
	case p.man():
		return pickW(g, []ph{{returnee.PhaseREINTEGRATION, 75}, {returnee.PhaseCLOSED, 25}})
	default:
		return pickW(g, []ph{
			{returnee.PhaseREPATRIATION, 2}, {returnee.PhaseDISENGAGEMENT, 4}, {returnee.PhaseREHABILITATION, 28},
			{returnee.PhaseREINTEGRATION, 52}, {returnee.PhaseCLOSED, 14},
		})
	}
}

// finish fills the fields that depend on birth date and custody.
func (g *gen) finish(p *person) {
	p.cit = g.citizenship(p)
	p.phase = g.phase(p)
}
