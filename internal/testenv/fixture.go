package testenv

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rdrr-project/rdrr/authz/viewer"
	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/caseteammember"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// The fixture helpers write test data straight through ent as the system,
// so a test states exactly the world it needs.

func sys() context.Context { return viewer.SystemContext(context.Background()) }

// Org creates an organisation.
func (e *Env) Org(t testing.TB, slug string, kind organisation.Kind, country string) *ent.Organisation {
	t.Helper()
	c := e.Store.Client.Organisation.Create().SetSlug(slug).SetName("Test " + slug).SetKind(kind)
	if country != "" {
		c.SetCountry(country)
	}
	o, err := c.Save(sys())
	if err != nil {
		t.Fatalf("creating organisation %s: %v", slug, err)
	}
	return o
}

// User creates a user of org with roles.
func (e *Env) User(t testing.TB, email string, org *ent.Organisation, roles ...domain.Role) *ent.User {
	t.Helper()
	ctx := sys()
	tx, err := e.Store.Client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := tx.User.Create().SetEmail(email).SetName("Test " + email).SetOrganisationID(org.ID).Save(ctx)
	if err != nil {
		_ = tx.Rollback()
		t.Fatalf("creating user %s: %v", email, err)
	}
	if err := e.Authz.SetRoles(ctx, tx, u.ID, roles); err != nil {
		_ = tx.Rollback()
		t.Fatalf("setting roles of %s: %v", email, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return u
}

// CaseOpts describe a returnee created by Case.
type CaseOpts struct {
	Given, Family string
	ReturnedAs    returnee.ReturnedAs
	Sex           returnee.Sex
	Phase         returnee.Phase
	Custody       returnee.CustodyStatus
	Citizenship   string
}

// Case creates a returnee led by lead, with the other organisations
// assigned to its team.
func (e *Env) Case(t testing.TB, lead *ent.Organisation, opts CaseOpts, team ...*ent.Organisation) *ent.Returnee {
	t.Helper()
	if opts.Given == "" {
		opts.Given = "Aigerim"
	}
	if opts.Family == "" {
		opts.Family = "Testova"
	}
	if opts.ReturnedAs == "" {
		opts.ReturnedAs = returnee.ReturnedAsADULT_WOMAN
	}
	if opts.Sex == "" {
		opts.Sex = returnee.SexFEMALE
	}
	if opts.Custody == "" {
		opts.Custody = returnee.CustodyStatusFAMILY_HOME
	}
	if opts.Citizenship == "" {
		opts.Citizenship = "KZ"
	}
	c := e.Store.Client.Returnee.Create().
		SetGivenName(opts.Given).SetFamilyName(opts.Family).SetSex(opts.Sex).
		SetCitizenship(opts.Citizenship).SetReturnedAs(opts.ReturnedAs).
		SetReturnDate(time.Date(2019, 5, 10, 0, 0, 0, 0, time.UTC)).
		SetCustodyStatus(opts.Custody).SetLeadAgencyID(lead.ID)
	if opts.Phase != "" {
		c.SetPhase(opts.Phase)
	}
	r, err := c.Save(sys())
	if err != nil {
		t.Fatalf("creating returnee: %v", err)
	}
	e.Join(t, r, lead, caseteammember.BasisLEAD)
	for _, o := range team {
		e.Join(t, r, o, caseteammember.BasisASSIGNED)
	}
	return r
}

// Join puts org on the case team of r.
func (e *Env) Join(t testing.TB, r *ent.Returnee, org *ent.Organisation, basis caseteammember.Basis) *ent.CaseTeamMember {
	t.Helper()
	m, err := e.Store.Client.CaseTeamMember.Create().SetReturneeID(r.ID).SetOrganisationID(org.ID).
		SetBasis(basis).SetSince(time.Now().UTC().Add(-time.Hour)).Save(sys())
	if err != nil {
		t.Fatalf("joining team: %v", err)
	}
	return m
}

// Records holds one record of every kind on a case.
type Records struct {
	Document     *ent.Document
	Legal        *ent.LegalRecord
	Medical      *ent.MedicalRecord
	Theological  *ent.TheologicalRecord
	Risk         *ent.RiskAssessment
	Intervention *ent.Intervention
}

// AllRecords writes one record of every category on r, authored by author.
func (e *Env) AllRecords(t testing.TB, r *ent.Returnee, author *ent.User) Records {
	t.Helper()
	ctx, c := sys(), e.Store.Client
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	must := func(err error) {
		if err != nil {
			t.Helper()
			t.Fatalf("creating record: %v", err)
		}
	}
	var out Records
	var err error
	out.Document, err = c.Document.Create().SetReturneeID(r.ID).SetType("PASSPORT").SetStatus("ISSUED").
		SetRequestedOn(day).SetIssuedOn(day).SetDocumentNumber("N0000001").SetNotes("legal detail: passport notes").Save(ctx)
	must(err)
	out.Legal, err = c.LegalRecord.Create().SetReturneeID(r.ID).SetKind("SENTENCE").SetSummary("legal summary").
		SetDetail("legal detail: charges").SetRecordedOn(day).SetAuthorID(author.ID).SetAuthorOrganisationID(author.OrganisationID).Save(ctx)
	must(err)
	out.Medical, err = c.MedicalRecord.Create().SetReturneeID(r.ID).SetKind("DIAGNOSIS").SetSummary("medical summary").
		SetDetail("medical detail: clinical notes").SetRecordedOn(day).SetAuthorID(author.ID).SetAuthorOrganisationID(author.OrganisationID).Save(ctx)
	must(err)
	out.Theological, err = c.TheologicalRecord.Create().SetReturneeID(r.ID).SetSummary("theological summary").
		SetDetail("theological detail: stance").SetRecordedOn(day).SetAuthorID(author.ID).SetAuthorOrganisationID(author.OrganisationID).Save(ctx)
	must(err)
	out.Risk, err = c.RiskAssessment.Create().SetReturneeID(r.ID).SetTool("VERA_2R").SetLevel("HIGH").SetScore(31.5).
		SetSummary("risk summary").SetDetail("risk detail: needs").SetRecordedOn(day).SetAuthorID(author.ID).SetAuthorOrganisationID(author.OrganisationID).Save(ctx)
	must(err)
	out.Intervention, err = c.Intervention.Create().SetReturneeID(r.ID).SetType("EMPLOYMENT").SetStatus("ACTIVE").
		SetProviderID(author.OrganisationID).SetDescription("social: job placement").Save(ctx)
	must(err)
	return out
}

// Consent records a consent on r for cats, to recipient (nil: whole team).
func (e *Env) Consent(t testing.TB, r *ent.Returnee, recipient *ent.Organisation, from time.Time, until *time.Time, revoked bool, cats ...domain.Category) *ent.Consent {
	t.Helper()
	c := e.Store.Client.Consent.Create().SetReturneeID(r.ID).SetSignatory("SUBJECT").SetCategories(cats).
		SetPurpose("test").SetValidFrom(from).SetNillableValidUntil(until)
	if recipient != nil {
		c.SetRecipientID(recipient.ID)
	} else {
		c.SetWholeTeam(true)
	}
	if revoked {
		c.SetRevokedAt(time.Now().UTC().Add(-time.Minute)).SetRevocationReason("withdrawn")
	}
	cn, err := c.Save(sys())
	if err != nil {
		t.Fatalf("creating consent: %v", err)
	}
	return cn
}

// MustID returns a fresh well-formed ID that was never issued.
func MustID(prefix string) gid.ID { return gid.New(prefix) }

// Sprintf is fmt.Sprintf, re-exported to keep test imports short.
var Sprintf = fmt.Sprintf
