package seed

import (
	"fmt"
	"time"

	"github.com/rdrr-project/rdrr/ent"
	"github.com/rdrr-project/rdrr/ent/document"
)

// documents writes 1-3 identity or civil-status documents per returnee, at
// every stage of the application. Children born abroad first need a birth
// certificate; adults a passport or national ID. Dates are consistent:
// return <= requested_on <= issued_on <= today, and only issued documents
// have an issue date and number.
func (g *gen) documents(r *rows, p *person) {
	var types []document.Type
	if p.child() {
		types = []document.Type{document.TypeBIRTH_CERTIFICATE, document.TypeCITIZENSHIP_CERTIFICATE, document.TypeRESIDENCE_REGISTRATION}
		if !g.chance(0.95) {
			types[0], types[1] = types[1], types[0]
		}
	} else {
		types = []document.Type{document.TypeNATIONAL_ID, document.TypePASSPORT, document.TypeRESIDENCE_REGISTRATION}
		if !p.detained() && g.chance(0.45) {
			types[0], types[1] = types[1], types[0]
		}
	}
	n := pickW(g, []choice[int]{{1, 40}, {2, 40}, {3, 20}})
	for _, t := range types[:n] {
		r.documents = append(r.documents, g.document(r, p, t))
	}
}

func (g *gen) document(r *rows, p *person, t document.Type) *ent.DocumentCreate {
	status := pickW(g, []choice[document.Status]{
		{document.StatusISSUED, 62}, {document.StatusIN_PROGRESS, 12}, {document.StatusREQUESTED, 10},
		{document.StatusNOT_STARTED, 7}, {document.StatusREFUSED, 9},
	})
	auth := p.c.docAuth["id"]
	if t == document.TypeBIRTH_CERTIFICATE || t == document.TypeCITIZENSHIP_CERTIFICATE {
		auth = p.c.docAuth["civil"]
	}
	b := r.tx.Document.Create().SetID(g.id("doc")).SetReturneeID(p.id).SetType(t).SetStatus(status).
		SetIssuingAuthority(auth)
	var requested time.Time
	switch status {
	case document.StatusNOT_STARTED:
		return b
	case document.StatusREQUESTED, document.StatusIN_PROGRESS:
		// Still open: applied for in the last year or so.
		requested = g.dateIn(maxDate(p.returned, addDays(today, -400)), addDays(today, -7))
	default:
		requested = g.dateIn(addDays(p.returned, 3), minDate(addDays(p.returned, 400), today))
	}
	b.SetRequestedOn(requested)
	if status == document.StatusISSUED {
		b.SetIssuedOn(g.dateIn(addDays(requested, 14), minDate(addDays(requested, 365), today)))
		b.SetDocumentNumber(fmt.Sprintf("DEMO-%c%07d", 'A'+rune(g.r.IntN(26)), g.r.IntN(10_000_000)))
	}
	if note := pick(g, documentNotes); note != "" {
		b.SetNotes(note)
	}
	return b
}
