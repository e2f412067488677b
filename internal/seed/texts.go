package seed

// Text of the generated records. Summaries are the shareable, non-clinical
// lines the domain describes ("attends weekly therapy"); details are
// restricted notes and always start with syntheticMark, so nobody can take
// a demo record for a real one. Nothing here describes a real person.

const syntheticMark = "SYNTHETIC DEMO RECORD: fictional person and events. "

var householdNotes = []string{
	"Two-room flat; grandparents' pension is the main income.",
	"Family house shared with relatives; children have their own room.",
	"Rented flat paid partly by a municipal housing allowance.",
	"Rural family home with a garden plot; neighbours supportive.",
	"Crowded apartment; social worker visits monthly.",
	"Family moved after the return to avoid attention from neighbours.",
	"",
}

var familySummaries = []string{
	"Receiving family is supportive and engaged with the case team.",
	"Grandparents provide housing and care; income from pensions only.",
	"Family reports gossip from neighbours; children were teased at school.",
	"Family needs help with documents and school enrolment.",
	"Household income is irregular; referred for financial assistance.",
	"Relatives visit often; mahalla committee involved in support.",
	"Family members attended a session with the NGO psychologist.",
	"Extended family shares the care of the children.",
}

var familyConcern = "Assessor notes a relative with sympathies for the group; family mediation recommended."

// Medical records, by kind, for adults and for children.
var medicalAdult = map[string][]string{
	"PHYSICAL_ASSESSMENT": {
		"Initial health screening completed",
		"General health satisfactory; dental treatment arranged",
		"Treated for anaemia after return; now stable",
		"Follow-up for an old leg injury",
	},
	"MENTAL_HEALTH_ASSESSMENT": {
		"Mental-health assessment completed; follow-up recommended",
		"Screened for trauma symptoms; referred to psychologist",
		"Reassessment shows improved mood and sleep",
	},
	"DIAGNOSIS": {
		"Diagnosis recorded; in care of the team psychologist",
		"Post-traumatic stress symptoms; treatment started",
		"Depressive episode recorded; under treatment",
	},
	"TREATMENT_PLAN": {
		"Attends weekly therapy sessions",
		"Group therapy twice a month",
		"Treatment plan agreed: therapy and medication review",
	},
	"CLINICAL_NOTE": {
		"Regular session attended",
		"Missed one session; rescheduled",
		"Progress noted in managing anxiety",
		"Session focused on parenting stress",
	},
}

var medicalChild = map[string][]string{
	"PHYSICAL_ASSESSMENT": {
		"Paediatric check-up completed; vaccinations being caught up",
		"Treated for malnutrition after return; weight now normal",
		"Hearing and eyesight tested; glasses provided",
	},
	"MENTAL_HEALTH_ASSESSMENT": {
		"Developmental assessment completed",
		"Screened for trauma; play therapy recommended",
		"Cognitive delay consistent with deprivation; improving",
	},
	"DIAGNOSIS": {
		"Speech delay recorded; speech therapy arranged",
		"Trauma-related sleep problems; under follow-up",
	},
	"TREATMENT_PLAN": {
		"Attends weekly play therapy",
		"Speech therapy twice a week",
		"School psychologist follows the child",
	},
	"CLINICAL_NOTE": {
		"Session attended with grandmother",
		"Child settling well at school",
		"Nightmares less frequent",
	},
}

var medicalDetails = []string{
	"Reports intrusive memories of air strikes and poor sleep; fictional screening score 41. Plan: trauma-focused therapy, sleep hygiene.",
	"Weight 12% below expected on arrival; iron supplements prescribed; fictional lab values within range at follow-up.",
	"Low mood, withdrawal from relatives; no risk of self-harm reported; weekly sessions agreed.",
	"Startle reactions to loud noises; responds well to grounding exercises; continue for three months.",
	"Speaks little, plays alone; assessment suggests deprivation rather than impairment; speech and play therapy.",
	"Headaches and back pain; physiotherapy referral; anxiety symptoms discussed.",
	"Improvement in concentration; school reports progress; reduce sessions to fortnightly.",
}

var theoSummaries = map[string][]string{
	"ASSESSMENT": {
		"Initial theological assessment",
		"Open to dialogue with the theologian",
		"Reassessment: views moderating",
		"Assessment: reluctant to engage; further sessions planned",
	},
	"SESSION": {
		"Attended session on critical reading of religious texts",
		"Session on recruitment narratives",
		"Progress in critical thinking noted",
		"Session with family members present",
		"Discussed traditional religious practice in the home country",
	},
}

var theoDetails = []string{
	"Holds rigid views on the duties of women; questioned the sources when shown their context. Fictional quotations discussed.",
	"Describes being recruited through online videos; now able to name manipulation techniques.",
	"Accepts the authority of the national religious board; asks for books in the native language.",
	"Defends the group's idea of the 'caliphate'; becomes defensive when challenged. Proceed slowly.",
	"Expresses regret and wants religious education for the children in an ordinary mosque.",
	"Engages in debate; reads the assigned texts; critical questions about former preachers.",
}

var riskDetails = []string{
	"Protective factors: family contact, wish to work. Needs: employment, housing, trauma care.",
	"Still in contact with former associates by letters; needs: distance from network, education.",
	"Criminogenic needs low; main needs are documents and income.",
	"Ideological commitment reduced since last assessment; positive behaviour in custody.",
	"Expresses grievance against the authorities; needs mentoring and structured activity.",
}

var classifications = map[string]string{
	"LOW":    "Category C: ordinary regime",
	"MEDIUM": "Category B: standard supervision",
	"HIGH":   "Category A: enhanced supervision",
}

var legalDetails = []string{
	"Fictional file DEMO-%d: participation in the activities of a terrorist organisation abroad (national criminal code, counter-terrorism article). Evidence: own statements, travel records.",
	"Fictional file DEMO-%d: travel to a conflict zone and membership of an armed group; cooperation with the investigation noted.",
	"Fictional file DEMO-%d: financing of a terrorist organisation by money transfers to relatives abroad.",
}

var interventionText = map[string][2][]string{ // description, outcome
	"EDUCATION": {
		{"Enrolment in the local school with catch-up classes", "Catch-up classes in reading and arithmetic", "Pre-school group for returnee children"},
		{"Promoted to the next grade", "Attends regularly; reading at age level", "Stopped attending after moving house"},
	},
	"PSYCHOSOCIAL_SUPPORT": {
		{"Individual counselling with the NGO psychologist", "Group sessions for mothers", "Art therapy group for children"},
		{"Completed the programme; coping well", "Dropped out after three sessions", "Goals of the plan met"},
	},
	"VOCATIONAL_TRAINING": {
		{"Sewing course", "Hairdressing course", "Computer literacy course", "Cooking and confectionery course", "Welding course"},
		{"Certificate obtained", "Found work after the course", "Left the course for family reasons"},
	},
	"EMPLOYMENT": {
		{"Job placement with a local employer", "Small-business grant and mentoring", "Seasonal agricultural work"},
		{"Employed on a permanent contract", "Business running; self-sustaining", "Contract ended; looking for work"},
	},
	"HOUSING": {
		{"Municipal housing allowance", "Help to rent a flat near relatives", "Temporary place in a social hostel"},
		{"Family housed independently", "Moved in with relatives instead", "Allowance ended"},
	},
	"DOCUMENT_ASSISTANCE": {
		{"Help to apply for identity documents", "Legal aid for registration of residence"},
		{"Documents obtained", "Application still pending"},
	},
	"FAMILY_SUPPORT": {
		{"Support to grandparents raising the children", "Family counselling"},
		{"Family coping better", "Grandparents receive a carer's allowance"},
	},
}

var communityText = map[string][]string{
	"COMMUNITY_MEETING":           {"Meeting with neighbours to explain the rehabilitation programme", "Information session with the local council"},
	"RELIGIOUS_LEADER_ENGAGEMENT": {"Imam of the local mosque met the family", "Religious leaders briefed on supporting returnees"},
	"SCHOOL_PREPARATION":          {"Teachers prepared for the child's arrival", "Class teacher and school psychologist briefed"},
	"EMPLOYER_ENGAGEMENT":         {"Local employer agreed to offer a trial placement", "Meeting with a business association"},
	"FAMILY_MEDIATION":            {"Mediation between the returnee and her parents-in-law", "Family meeting to agree on care of the children"},
}

var consentPurposes = []string{
	"Coordination of medical and psychological care with the lead agency",
	"Sharing of rehabilitation progress with the case team",
	"Planning of schooling and therapy for the child",
	"Preparation of the individual reintegration plan",
}

var revocationReasons = []string{
	"The returnee withdrew consent after changing psychologist",
	"Guardian withdrew consent pending a family discussion",
	"Withdrawn at the returnee's request; no reason given",
	"Consent replaced by a narrower one",
}

var documentNotes = []string{
	"Applicant has no documents from abroad; identity confirmed by relatives' testimony.",
	"DNA test requested to establish parentage.",
	"Waiting for a court decision establishing the fact of birth.",
	"Application resubmitted after missing photographs.",
	"",
}
