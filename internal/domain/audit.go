package domain

import "github.com/rdrr-project/rdrr/internal/gid"

// AuditRecord names one record an audit event is about: its ID and type,
// the case it belongs to, and the category and level that were touched.
type AuditRecord struct {
	ID       gid.ID   `json:"id"`
	Type     string   `json:"type"`
	Returnee gid.ID   `json:"returnee,omitempty"`
	Category Category `json:"category,omitempty"`
	Level    Level    `json:"level,omitempty"`
}
