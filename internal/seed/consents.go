package seed

import (
	"time"

	"github.com/rdrr-project/rdrr/ent/consent"
	"github.com/rdrr-project/rdrr/internal/domain"
)

// consents lets the lead agency (or the whole team) read the medical and
// theological detail the NGO wrote, for a good share of the cases where it
// wrote some. A mix of states exercises the consent rule: most consents are
// active, some have expired and some were revoked. Children consent through
// a guardian recorded in their household; children without one get none.
func (g *gen) consents(r *rows, p *person) {
	if !(p.ngoMedical || p.ngoTheo) || !g.chance(0.75) {
		return
	}
	if p.child() && len(p.guardians) == 0 {
		return
	}
	var cats []domain.Category
	if p.ngoMedical {
		cats = append(cats, domain.CategoryMedical)
	}
	if p.ngoTheo && (len(cats) == 0 || g.chance(0.7)) {
		cats = append(cats, domain.CategoryTheological)
	}
	from, _ := p.ngoWindow()
	start := g.clock(g.dateIn(addDays(from, 10), minDate(addDays(from, 400), addDays(today, -30))))

	// Sometimes an earlier consent ended before the current one was given.
	if g.chance(0.25) {
		end := g.clock(g.dateIn(addDays(start, 90), minDate(addDays(start, 700), addDays(today, -40))))
		if end.After(start) && end.Before(addDays(today, -30)) {
			g.consent(r, p, cats, start, end, pick(g, []string{"expired", "revoked"}))
			start = g.clock(g.dateIn(addDays(end, 1), addDays(today, -10)))
		}
	}
	state := pickW(g, []choice[string]{{"active", 65}, {"expired", 20}, {"revoked", 15}})
	end := g.clock(g.dateIn(addDays(start, 60), minDate(addDays(start, 730), addDays(today, -1))))
	if !end.After(start) || !end.Before(today) {
		state = "active" // too recent to have ended
	}
	g.consent(r, p, cats, start, end, state)
}

// consent writes one consent valid from start; end is when an expired one
// ran out or a revoked one was withdrawn.
func (g *gen) consent(r *rows, p *person, cats []domain.Category, start, end time.Time, state string) {
	b := r.tx.Consent.Create().SetID(g.id("cns")).SetReturneeID(p.id).
		SetCategories(cats).SetPurpose(pick(g, consentPurposes)).SetValidFrom(start)
	if p.child() {
		b.SetSignatory(consent.SignatoryGUARDIAN).SetGuardianID(pick(g, p.guardians).id)
	} else {
		b.SetSignatory(consent.SignatorySUBJECT)
	}
	if g.chance(0.6) {
		b.SetRecipientID(p.c.gov)
	} else {
		b.SetWholeTeam(true)
	}
	switch state {
	case "expired":
		b.SetValidUntil(end)
	case "revoked":
		b.SetRevokedAt(end).SetRevocationReason(pick(g, revocationReasons))
		if g.chance(0.5) {
			b.SetValidUntil(end.AddDate(0, g.between(1, 24), 0)) // it would have run until then
		}
	default:
		if g.chance(0.5) {
			// Open-ended, or valid well beyond today (whatever the real
			// clock says when the demo is used).
			b.SetValidUntil(g.clock(date(today.Year()+g.between(2, 4), time.Month(g.between(1, 12)), 1)))
		}
	}
	r.consents = append(r.consents, b)
}
