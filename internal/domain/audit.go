package domain

import "github.com/rdrr-project/rdrr/internal/gid"

// AuditRecord names one record an audit event is about: its ID and type,
// the case it belongs to, and the category and level that were touched.
// The JSON keys are short: a page of 50 cases names a hundred records or
// more in one event, and every byte is written, hashed and kept forever.
type AuditRecord struct {
	ID       gid.ID   `json:"i"`
	Type     string   `json:"t"`
	Returnee gid.ID   `json:"r,omitempty"`
	Category Category `json:"c,omitempty"`
	Level    Level    `json:"l,omitempty"`
}
