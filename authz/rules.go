package authz

import (
	"strings"

	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// Effect is what a permission rule does.
type Effect string

// The two effects; a matching deny wins over any allow.
const (
	EffectAllow Effect = "allow"
	EffectDeny  Effect = "deny"
)

// Any matches every role or every organisation in a permission rule.
const Any = "*"

// Permission is a "p" rule: Role (or Any) in organisation Org (a slug, or
// Any) is allowed or denied Action on Object.
type Permission struct {
	Role   string
	Org    string
	Object domain.Object
	Action domain.Action
	Effect Effect
}

// Assignment is a "g" rule: user UserID holds Role in organisation Org.
type Assignment struct {
	UserID gid.ID
	Role   domain.Role
	Org    string
}

// Implication is a "g2" rule: holding Object implies holding Implied.
type Implication struct {
	Object  domain.Object
	Implied domain.Object
}

// Rule is one stored policy line of any kind.
type Rule struct {
	Ptype  string
	Values []string
}

func (p Permission) rule() Rule {
	return Rule{"p", []string{p.Role, p.Org, string(p.Object), string(p.Action), string(p.Effect)}}
}

func (a Assignment) rule() Rule {
	return Rule{"g", []string{string(a.UserID), string(a.Role), a.Org}}
}

func ruleFrom(ptype string, vals []string) Rule {
	return Rule{Ptype: ptype, Values: append([]string(nil), vals...)}
}

// Permission returns r as a permission, if it is one.
func (r Rule) Permission() (Permission, bool) {
	if r.Ptype != "p" || len(r.Values) < 5 {
		return Permission{}, false
	}
	v := r.Values
	return Permission{Role: v[0], Org: v[1], Object: domain.Object(v[2]), Action: domain.Action(v[3]), Effect: Effect(v[4])}, true
}

// Assignment returns r as a role assignment, if it is one.
func (r Rule) Assignment() (Assignment, bool) {
	if r.Ptype != "g" || len(r.Values) < 3 {
		return Assignment{}, false
	}
	v := r.Values
	return Assignment{UserID: gid.ID(v[0]), Role: domain.Role(v[1]), Org: v[2]}, true
}

// parseCSV reads policy lines ("p, A, B" or "g2, x, y"), skipping blanks
// and comments.
func parseCSV(text string) []Rule {
	var out []Rule
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		out = append(out, Rule{Ptype: parts[0], Values: parts[1:]})
	}
	return out
}
