package domain

// Object is what a policy rule grants or denies: a data category at summary
// or detail level, or one of the non-case objects.
type Object string

// Action is what is done to an object.
type Action string

// The two actions.
const (
	ActionRead  Action = "read"
	ActionWrite Action = "write"
)

// The objects of the policy. Sensitive categories have a summary and a
// detail object; detail implies summary (the Casbin model encodes it).
const (
	ObjCore              Object = "core"
	ObjSocial            Object = "social"
	ObjLegalSummary      Object = "legal.summary"
	ObjLegalDetail       Object = "legal.detail"
	ObjMedicalSummary    Object = "medical.summary"
	ObjMedicalDetail     Object = "medical.detail"
	ObjTheologicalSumm   Object = "theological.summary"
	ObjTheologicalDetail Object = "theological.detail"
	ObjRiskSummary       Object = "risk.summary"
	ObjRiskDetail        Object = "risk.detail"
	ObjStatistics        Object = "statistics"
	ObjAudit             Object = "audit"
	ObjPolicy            Object = "policy"
	ObjUsers             Object = "users"
)

// Objects lists every object in a stable order. Its index is the object's
// bit position in a Perms set, so only append.
var Objects = []Object{
	ObjCore, ObjSocial,
	ObjLegalSummary, ObjLegalDetail,
	ObjMedicalSummary, ObjMedicalDetail,
	ObjTheologicalSumm, ObjTheologicalDetail,
	ObjRiskSummary, ObjRiskDetail,
	ObjStatistics, ObjAudit, ObjPolicy, ObjUsers,
}

// Actions lists both actions.
var Actions = []Action{ActionRead, ActionWrite}

// ValidObject reports whether o is a known object.
func ValidObject(o Object) bool { return contains(Objects, o) }

// ValidAction reports whether a is a known action.
func ValidAction(a Action) bool { return a == ActionRead || a == ActionWrite }

// ObjectFor returns the object for a category at a level. Core and social
// have no levels: both levels map to the category itself.
func ObjectFor(c Category, l Level) Object {
	switch c {
	case CategoryCore:
		return ObjCore
	case CategorySocial:
		return ObjSocial
	}
	base := map[Category]string{
		CategoryLegal: "legal", CategoryMedical: "medical",
		CategoryTheological: "theological", CategoryRisk: "risk",
	}[c]
	if l == LevelDetail {
		return Object(base + ".detail")
	}
	return Object(base + ".summary")
}

// Perms is the set of (object, action) pairs a viewer is allowed, computed
// once from the policy and cached until the policy changes.
type Perms uint64

func bit(o Object, a Action) Perms {
	for i, x := range Objects {
		if x == o {
			if a == ActionWrite {
				return 1 << (2*i + 1)
			}
			return 1 << (2 * i)
		}
	}
	return 0
}

// With returns p plus (o, a).
func (p Perms) With(o Object, a Action) Perms { return p | bit(o, a) }

// Can reports whether (o, a) is in p.
func (p Perms) Can(o Object, a Action) bool {
	b := bit(o, a)
	return b != 0 && p&b == b
}

// CanRead reports whether category c may be read at level l.
func (p Perms) CanRead(c Category, l Level) bool { return p.Can(ObjectFor(c, l), ActionRead) }

// CanWrite reports whether category c may be written at level l.
func (p Perms) CanWrite(c Category, l Level) bool { return p.Can(ObjectFor(c, l), ActionWrite) }
