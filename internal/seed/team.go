package seed

import (
	"time"

	"github.com/rdrr-project/rdrr/ent/caseteammember"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// team writes the case team. Team rows are what the access rules key on,
// so they follow the real programmes closely: the national government leads
// every case of its country from the day of return; the national NGO works
// on most women's and children's cases (and on some men's, as prison
// theologians and psychologists); the prison service is on the team of the
// people it holds, and its membership ends on release.
func (g *gen) team(r *rows, p *person) {
	c := p.c
	r.team = append(r.team, r.tx.CaseTeamMember.Create().SetID(g.id("ctm")).
		SetReturneeID(p.id).SetOrganisationID(c.gov).
		SetBasis(caseteammember.BasisLEAD).SetAccess(caseteammember.AccessFULL).SetSince(p.returned))

	if c.ngo != "" {
		share := 0.85
		if p.man() {
			share = 0.4
		}
		if g.chance(share) {
			p.ngoSince = g.clock(addDays(p.returned, g.between(0, 120)))
			if g.chance(0.08) {
				// A past membership: the NGO's programme for this person ended.
				until := g.clock(addDays(p.ngoSince, g.between(180, 1500)))
				if until.Before(addDays(today, -30)) {
					p.ngoUntil = until
				}
			}
			g.assign(r, p, c.ngo, p.ngoSince, p.ngoUntil)
		}
	}

	g.sentence(p)
	if c.prison != "" && !p.child() {
		switch {
		case p.detained():
			g.assign(r, p, c.prison, g.clock(addDays(p.returned, g.between(0, 3))), time.Time{})
		case !p.released.IsZero():
			g.assign(r, p, c.prison, g.clock(addDays(p.returned, g.between(0, 3))), g.clock(p.released))
		}
	}
}

func (g *gen) assign(r *rows, p *person, org gid.ID, since, until time.Time) {
	c := r.tx.CaseTeamMember.Create().SetID(g.id("ctm")).
		SetReturneeID(p.id).SetOrganisationID(org).
		SetBasis(caseteammember.BasisASSIGNED).SetAccess(caseteammember.AccessFULL).SetSince(since)
	if !until.IsZero() {
		c.SetUntil(until)
	}
	r.team = append(r.team, c)
}

// sentence decides the prison history of adults: men (and the few women)
// now in prison serve long sentences; most men now at home were released
// after a shorter one.
func (g *gen) sentence(p *person) {
	switch {
	case p.child():
	case p.custody == returnee.CustodyStatusPRISON:
		p.sentenceYears = g.between(8, 12)
	case p.man() && p.custody != returnee.CustodyStatusPRE_TRIAL_DETENTION && g.chance(0.7):
		p.sentenceYears = g.between(2, 6)
		rel := addDays(p.returned, p.sentenceYears*365-g.between(0, 200))
		p.released = minDate(rel, addDays(today, -g.between(20, 200)))
	}
}
