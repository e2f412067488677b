package seed

import (
	"github.com/rdrr-project/rdrr/ent/communityactivity"
	"github.com/rdrr-project/rdrr/ent/familyassessment"
	"github.com/rdrr-project/rdrr/ent/intervention"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Social data: services provided to returnees, preparation of receiving
// communities, and assessments of receiving families.

// provider is the organisation that delivers services in a country: the
// national NGO where there is one, else the government.
func (c *country) provider() gid.ID {
	if c.ngo != "" {
		return c.ngo
	}
	return c.gov
}

// interventions writes 0-3 services suited to the person: school and
// psychosocial support for children, training, work, housing and support
// for women, training inside prison or work after release for men.
func (g *gen) interventions(r *rows, p *person) {
	var types []intervention.Type
	switch {
	case p.child():
		types = []intervention.Type{intervention.TypeEDUCATION, intervention.TypePSYCHOSOCIAL_SUPPORT, intervention.TypeEDUCATION}
	case p.detained():
		types = []intervention.Type{intervention.TypeVOCATIONAL_TRAINING, intervention.TypePSYCHOSOCIAL_SUPPORT}
	case p.man():
		types = []intervention.Type{intervention.TypeEMPLOYMENT, intervention.TypeVOCATIONAL_TRAINING, intervention.TypeDOCUMENT_ASSISTANCE}
	default:
		types = []intervention.Type{intervention.TypeVOCATIONAL_TRAINING, intervention.TypeEMPLOYMENT,
			intervention.TypeHOUSING, intervention.TypePSYCHOSOCIAL_SUPPORT, intervention.TypeFAMILY_SUPPORT}
	}
	n := pickW(g, []choice[int]{{0, 15}, {1, 35}, {2, 30}, {3, 20}})
	for range n {
		t := pick(g, types)
		text := interventionText[string(t)]
		status := pickW(g, []choice[intervention.Status]{
			{intervention.StatusPLANNED, 10}, {intervention.StatusACTIVE, 30},
			{intervention.StatusCOMPLETED, 48}, {intervention.StatusDISCONTINUED, 12},
		})
		b := r.tx.Intervention.Create().SetID(g.id("int")).SetReturneeID(p.id).
			SetType(t).SetStatus(status).SetProviderID(p.c.provider()).SetDescription(pick(g, text[0]))
		switch status {
		case intervention.StatusACTIVE:
			b.SetStartedOn(g.dateIn(maxDate(addDays(p.returned, 30), addDays(today, -700)), addDays(today, -1)))
		case intervention.StatusCOMPLETED, intervention.StatusDISCONTINUED:
			start := g.dateIn(addDays(p.returned, 30), addDays(today, -120))
			b.SetStartedOn(start).SetEndedOn(g.dateIn(addDays(start, 30), minDate(addDays(start, 720), addDays(today, -1)))).
				SetOutcome(pick(g, text[1]))
		}
		r.interventions = append(r.interventions, b)
	}
}

// community writes activities that prepare the receiving community, for
// some women and children and a few men after release.
func (g *gen) community(r *rows, p *person) {
	share := 0.22
	if p.man() {
		share = 0.05
		if p.detained() {
			return
		}
	}
	if !g.chance(share) {
		return
	}
	kinds := []communityactivity.Kind{communityactivity.KindCOMMUNITY_MEETING, communityactivity.KindRELIGIOUS_LEADER_ENGAGEMENT,
		communityactivity.KindEMPLOYER_ENGAGEMENT, communityactivity.KindFAMILY_MEDIATION}
	if p.child() {
		kinds = []communityactivity.Kind{communityactivity.KindSCHOOL_PREPARATION, communityactivity.KindSCHOOL_PREPARATION,
			communityactivity.KindCOMMUNITY_MEETING, communityactivity.KindFAMILY_MEDIATION}
	}
	for range g.between(1, 2) {
		k := pick(g, kinds)
		org := p.c.gov
		if p.c.ngo != "" && g.chance(0.6) {
			org = p.c.ngo
		}
		r.community = append(r.community, r.tx.CommunityActivity.Create().SetID(g.id("cmy")).SetReturneeID(p.id).
			SetKind(k).SetHeldOn(g.dateIn(addDays(p.returned, 20), addDays(today, -1))).
			SetOrganiserID(org).SetParticipants(g.between(3, 60)).SetSummary(pick(g, communityText[string(k)])))
	}
}

// familyAssessments assesses most receiving families once, some twice.
func (g *gen) familyAssessments(r *rows, hh *household) {
	if !g.chance(0.7) {
		return
	}
	n := 1
	if g.chance(0.3) {
		n = 2
	}
	for _, on := range g.recordDates(n, addDays(hh.since, 30), today, 0.3) {
		concern := g.chance(0.08)
		summary := pick(g, familySummaries)
		if concern {
			summary += " " + familyConcern
		}
		r.assessments = append(r.assessments, r.tx.FamilyAssessment.Create().SetID(g.id("fam")).
			SetHouseholdID(hh.id).SetAssessedOn(on).
			SetEconomicSituation(pickW(g, []choice[familyassessment.EconomicSituation]{
				{familyassessment.EconomicSituationSELF_SUFFICIENT, 25},
				{familyassessment.EconomicSituationSTRAINED, 45},
				{familyassessment.EconomicSituationDEPENDENT_ON_SUPPORT, 30},
			})).
			SetStigmaReported(g.chance(0.35)).SetRadicalisationConcern(concern).
			SetSummary(summary).SetAuthorOrganisationID(hh.c.social.org))
	}
}
