package seed

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rdrr-project/rdrr/ent/legalrecord"
	"github.com/rdrr-project/rdrr/ent/medicalrecord"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/ent/riskassessment"
	"github.com/rdrr-project/rdrr/ent/theologicalrecord"
)

// The sensitive records: legal, medical, theological and risk. Each has a
// shareable summary and a restricted detail, an author and the author's
// organisation (which the consent rules key on), and a recorded_on date
// between the return and the demo's "today".

// recordDates draws n sorted dates in [from, to]; a share of them falls in
// the two years before today, so "currently in treatment" and similar
// indicators have recent data.
func (g *gen) recordDates(n int, from, to time.Time, recent float64) []time.Time {
	to = minDate(to, today)
	from = minDate(from, to)
	cut := addDays(today, -730)
	out := make([]time.Time, n)
	for i := range out {
		if g.chance(recent) && to.After(cut) {
			out[i] = g.dateIn(maxDate(from, cut), to)
		} else {
			out[i] = g.dateIn(from, to)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

func (g *gen) detail(s string) string { return syntheticMark + s }

// legal writes the criminal proceedings of adults: the full chain from
// prosecution to prison (and release) for those sentenced, an investigation
// and charge for those awaiting trial, an inquiry closed without charges for
// some others, and the deprivation of citizenship where Kyrgyzstan applied it.
func (g *gen) legal(r *rows, p *person) {
	if p.child() {
		return
	}
	c := p.c
	// One criminal case per person: every step quotes the same file.
	detail := g.detail(fmt.Sprintf(pick(g, legalDetails), g.between(10000, 99999)))
	add := func(kind legalrecord.Kind, on time.Time, summary string) {
		r.legal = append(r.legal, r.tx.LegalRecord.Create().SetID(g.id("leg")).SetReturneeID(p.id).
			SetKind(kind).SetRecordedOn(minDate(on, today)).SetSummary(summary).SetDetail(detail).
			SetAuthorID(c.legal.user).SetAuthorOrganisationID(c.legal.org))
	}
	switch {
	case p.sentenceYears > 0:
		pros := addDays(p.returned, g.between(1, 30))
		verdict := addDays(pros, g.between(90, 300))
		placed := addDays(verdict, g.between(20, 60))
		release := p.returned.AddDate(p.sentenceYears, 0, 0)
		if !p.released.IsZero() {
			release = p.released
		}
		add(legalrecord.KindPROSECUTION, pros, "Criminal case opened: participation in a terrorist organisation abroad")
		add(legalrecord.KindVERDICT, verdict, "Convicted by the court of "+p.region)
		add(legalrecord.KindSENTENCE, verdict, fmt.Sprintf("Sentence %d years, release %d", p.sentenceYears, release.Year()))
		add(legalrecord.KindPRISON_PLACEMENT, placed, pick(g, []string{
			"Placed in a correctional facility, standard regime",
			"Placed in a correctional facility, strict regime",
			"Placed in a specialised unit for extremism-related offences",
		}))
		if !p.released.IsZero() {
			add(legalrecord.KindRELEASE, p.released, pick(g, []string{
				"Released on completion of sentence", "Released on parole", "Released under an amnesty",
			}))
		}
	case p.custody == returnee.CustodyStatusPRE_TRIAL_DETENTION:
		add(legalrecord.KindINVESTIGATION, g.dateIn(addDays(today, -700), addDays(today, -200)),
			"Investigation opened on new evidence")
		add(legalrecord.KindCHARGE, g.dateIn(addDays(today, -180), addDays(today, -20)),
			"Charged; held in pre-trial detention")
	case (p.man() && g.chance(0.5)) || (p.woman() && g.chance(0.07)):
		add(legalrecord.KindINVESTIGATION, g.dateIn(addDays(p.returned, 10), addDays(p.returned, 200)),
			"Preliminary inquiry closed without charges")
	}
	if p.cit == returnee.CitizenshipStatusDEPRIVED {
		add(legalrecord.KindCITIZENSHIP_DEPRIVATION, g.dateIn(addDays(p.returned, 100), addDays(p.returned, 700)),
			"Citizenship withdrawn by court decision")
	}
}

// medical writes 1-3 health records for most returnees, by the NGO's
// psychologist where the NGO works on the case, else by the ministry.
func (g *gen) medical(r *rows, p *person) {
	if !g.chance(0.88) {
		return
	}
	c := p.c
	author, from, to := c.manager, p.returned, today
	if p.hasNGO() && c.clinic.org == c.ngo {
		author = c.clinic
		from, to = p.ngoWindow()
		p.ngoMedical = true
	}
	texts := medicalAdult
	if p.child() {
		texts = medicalChild
	}
	n := pickW(g, []choice[int]{{1, 40}, {2, 35}, {3, 25}})
	recent := addDays(today, -730)
	for i, on := range g.recordDates(n, addDays(from, 7), to, 0.5) {
		kind := pickW(g, []choice[medicalrecord.Kind]{
			{medicalrecord.KindPHYSICAL_ASSESSMENT, 50}, {medicalrecord.KindMENTAL_HEALTH_ASSESSMENT, 50},
		})
		if i > 0 {
			kind = pickW(g, []choice[medicalrecord.Kind]{
				{medicalrecord.KindDIAGNOSIS, 20}, {medicalrecord.KindTREATMENT_PLAN, 35}, {medicalrecord.KindCLINICAL_NOTE, 45},
			})
		}
		treat := 0.08
		if kind != medicalrecord.KindPHYSICAL_ASSESSMENT && on.After(recent) {
			treat = 0.55
		}
		r.medical = append(r.medical, r.tx.MedicalRecord.Create().SetID(g.id("med")).SetReturneeID(p.id).
			SetKind(kind).SetRecordedOn(on).SetInTreatment(g.chance(treat)).
			SetSummary(pick(g, texts[string(kind)])).SetDetail(g.detail(pick(g, medicalDetails))).
			SetAuthorID(author.user).SetAuthorOrganisationID(author.org))
	}
}

// theological writes sessions with a theologian for many adults: the NGO's
// theologian in Kazakhstan, the ministry's staff elsewhere.
func (g *gen) theological(r *rows, p *person) {
	if p.child() || !g.chance(0.65) {
		return
	}
	c := p.c
	author, from, to := c.manager, p.returned, today
	if p.hasNGO() && c.theo.org == c.ngo {
		author = c.theo
		from, to = p.ngoWindow()
		p.ngoTheo = true
	}
	n := pickW(g, []choice[int]{{1, 20}, {2, 30}, {3, 30}, {4, 20}})
	for i, on := range g.recordDates(n, addDays(from, 14), to, 0.35) {
		kind := theologicalrecord.KindSESSION
		if i == 0 || g.chance(0.1) {
			kind = theologicalrecord.KindASSESSMENT
		}
		r.theo = append(r.theo, r.tx.TheologicalRecord.Create().SetID(g.id("the")).SetReturneeID(p.id).
			SetKind(kind).SetRecordedOn(on).
			SetSummary(pick(g, theoSummaries[string(kind)])).SetDetail(g.detail(pick(g, theoDetails))).
			SetAuthorID(author.user).SetAuthorOrganisationID(author.org))
	}
}

// risk writes structured risk assessments for every man and some women. In
// Kazakhstan the prison service assesses the men it holds or held; prisoners
// also get a classification.
func (g *gen) risk(r *rows, p *person) {
	if p.child() || (p.woman() && !p.detained() && !g.chance(0.25)) {
		return
	}
	c := p.c
	author, to := c.manager, today
	inPrison := p.detained() || !p.released.IsZero()
	if p.man() && c.prison != "" && inPrison {
		author = c.risk
	}
	if !p.released.IsZero() {
		to = p.released
	}
	n := 1
	if p.detained() && g.chance(0.6) {
		n = 2
	}
	levels := []choice[riskassessment.Level]{{riskassessment.LevelLOW, 65}, {riskassessment.LevelMEDIUM, 30}, {riskassessment.LevelHIGH, 5}}
	if p.man() {
		levels = []choice[riskassessment.Level]{{riskassessment.LevelLOW, 35}, {riskassessment.LevelMEDIUM, 45}, {riskassessment.LevelHIGH, 20}}
	}
	tools := []choice[riskassessment.Tool]{{riskassessment.ToolERG22_PLUS, 35}, {riskassessment.ToolRRAP, 25}, {riskassessment.ToolNATIONAL_TOOL, 40}}
	if author == c.risk && c.prison != "" {
		tools = []choice[riskassessment.Tool]{{riskassessment.ToolVERA_2R, 50}, {riskassessment.ToolNATIONAL_TOOL, 30}, {riskassessment.ToolERG22_PLUS, 20}}
	}
	tool := pickW(g, tools)
	for _, on := range g.recordDates(n, addDays(p.returned, 10), to, 0.4) {
		level := pickW(g, levels)
		lo, hi := riskScore(level)
		score := math.Round((lo+g.r.Float64()*(hi-lo))*10) / 10
		b := r.tx.RiskAssessment.Create().SetID(g.id("rsk")).SetReturneeID(p.id).
			SetTool(tool).SetLevel(level).SetScore(score).SetRecordedOn(on).
			SetSummary(fmt.Sprintf("%s assessment: %s risk", toolName(tool), strings.ToLower(string(level)))).
			SetDetail(g.detail(pick(g, riskDetails))).
			SetAuthorID(author.user).SetAuthorOrganisationID(author.org)
		if inPrison {
			b.SetClassification(classifications[string(level)])
		}
		r.risk = append(r.risk, b)
	}
}

// riskScore is the (fictional) score band of a level.
func riskScore(l riskassessment.Level) (float64, float64) {
	switch l {
	case riskassessment.LevelHIGH:
		return 40, 60
	case riskassessment.LevelMEDIUM:
		return 20, 40
	}
	return 5, 20
}

func toolName(t riskassessment.Tool) string {
	switch t {
	case riskassessment.ToolVERA_2R:
		return "VERA-2R"
	case riskassessment.ToolERG22_PLUS:
		return "ERG22+"
	case riskassessment.ToolRRAP:
		return "RRAP"
	}
	return "National tool"
}
