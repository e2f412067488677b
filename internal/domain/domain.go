// Package domain holds the small vocabulary shared by the data model, the
// policy and the API: roles and data categories. It imports nothing of ours so
// that the ent schema, authz and graph can all use it.
package domain

import (
	"fmt"
	"io"
	"strconv"
)

// Role is a job a user does for their organisation. The default policy in
// authz/policy.csv says what each role may read and write.
type Role string

// The roles of the domain document.
const (
	RoleCaseManager           Role = "CASE_MANAGER"
	RoleSocialWorker          Role = "SOCIAL_WORKER"
	RoleClinician             Role = "CLINICIAN"
	RoleTheologian            Role = "THEOLOGIAN"
	RoleLegalOfficer          Role = "LEGAL_OFFICER"
	RolePrisonOfficer         Role = "PRISON_OFFICER"
	RoleAnalyst               Role = "ANALYST"
	RoleDataProtectionOfficer Role = "DATA_PROTECTION_OFFICER"
	RoleAdmin                 Role = "ADMIN"
)

// Roles lists every role in a stable order.
var Roles = []Role{
	RoleCaseManager, RoleSocialWorker, RoleClinician, RoleTheologian, RoleLegalOfficer,
	RolePrisonOfficer, RoleAnalyst, RoleDataProtectionOfficer, RoleAdmin,
}

// Values lets ent use Role as an enum.
func (Role) Values() []string { return strs(Roles) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return contains(Roles, r) }

// MarshalGQL writes the role as a GraphQL enum value.
func (r Role) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(r))) }

// UnmarshalGQL reads a GraphQL enum value.
func (r *Role) UnmarshalGQL(v any) error { return unmarshalEnum(v, r, Roles, "Role") }

// Category is a data category: the unit the access policy speaks about.
type Category string

// The data categories of the domain document.
const (
	CategoryCore        Category = "CORE"
	CategorySocial      Category = "SOCIAL"
	CategoryLegal       Category = "LEGAL"
	CategoryMedical     Category = "MEDICAL"
	CategoryTheological Category = "THEOLOGICAL"
	CategoryRisk        Category = "RISK"
)

// Categories lists every category in a stable order.
var Categories = []Category{
	CategoryCore, CategorySocial, CategoryLegal, CategoryMedical, CategoryTheological, CategoryRisk,
}

// Values lets ent use Category as an enum.
func (Category) Values() []string { return strs(Categories) }

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return contains(Categories, c) }

// Sensitive reports whether records of c have a summary and a detail part.
func (c Category) Sensitive() bool {
	return c == CategoryLegal || c == CategoryMedical || c == CategoryTheological || c == CategoryRisk
}

// ConsentGated reports whether detail of c written by one organisation needs
// the subject's consent before another team organisation may read it.
func (c Category) ConsentGated() bool {
	return c == CategoryMedical || c == CategoryTheological
}

// MarshalGQL writes the category as a GraphQL enum value.
func (c Category) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(c))) }

// UnmarshalGQL reads a GraphQL enum value.
func (c *Category) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, c, Categories, "DataCategory")
}

// Level is how much of a sensitive record is meant: its summary or its detail.
type Level string

// The two levels of a sensitive record.
const (
	LevelSummary Level = "SUMMARY"
	LevelDetail  Level = "DETAIL"
)

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func contains[T comparable](vs []T, v T) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

func unmarshalEnum[T ~string](v any, dst *T, valid []T, name string) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("%s must be a string", name)
	}
	if !contains(valid, T(s)) {
		return fmt.Errorf("%q is not a valid %s", s, name)
	}
	*dst = T(s)
	return nil
}

// MarshalGQL writes the level as a GraphQL enum value.
func (l Level) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(l))) }

// UnmarshalGQL reads a GraphQL enum value.
func (l *Level) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, l, []Level{LevelSummary, LevelDetail}, "DataLevel")
}
