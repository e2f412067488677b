package graph

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rdrr-project/rdrr/ent/auditevent"
	"github.com/rdrr-project/rdrr/ent/breakglassaccess"
	"github.com/rdrr-project/rdrr/ent/caseteammember"
	"github.com/rdrr-project/rdrr/ent/communityactivity"
	"github.com/rdrr-project/rdrr/ent/consent"
	"github.com/rdrr-project/rdrr/ent/document"
	"github.com/rdrr-project/rdrr/ent/familyassessment"
	"github.com/rdrr-project/rdrr/ent/household"
	"github.com/rdrr-project/rdrr/ent/householdmember"
	"github.com/rdrr-project/rdrr/ent/intervention"
	"github.com/rdrr-project/rdrr/ent/legalrecord"
	"github.com/rdrr-project/rdrr/ent/medicalrecord"
	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/ent/referral"
	"github.com/rdrr-project/rdrr/ent/repatriationoperation"
	"github.com/rdrr-project/rdrr/ent/returnee"
	"github.com/rdrr-project/rdrr/ent/riskassessment"
	"github.com/rdrr-project/rdrr/ent/theologicalrecord"
	"github.com/rdrr-project/rdrr/ent/user"
	"github.com/rdrr-project/rdrr/ent/webhook"
	"github.com/rdrr-project/rdrr/ent/webhookdelivery"
	"github.com/rdrr-project/rdrr/internal/gid"
)

// tables maps the ID prefixes of ent/schema to tables. An ID that does not
// parse, or whose prefix is not here, is answered like an unknown ID.
var tables = map[string]string{
	"org": organisation.Table,
	"usr": user.Table,
	"opn": repatriationoperation.Table,
	"ret": returnee.Table,
	"ctm": caseteammember.Table,
	"doc": document.Table,
	"leg": legalrecord.Table,
	"med": medicalrecord.Table,
	"the": theologicalrecord.Table,
	"rsk": riskassessment.Table,
	"int": intervention.Table,
	"cmy": communityactivity.Table,
	"cns": consent.Table,
	"hhd": household.Table,
	"hhm": householdmember.Table,
	"fam": familyassessment.Table,
	"bga": breakglassaccess.Table,
	"aud": auditevent.Table,
	"ref": referral.Table,
	"whk": webhook.Table,
	"whd": webhookdelivery.Table,
}

func tableOf(id gid.ID) (string, bool) {
	_, prefix, err := gid.Parse(string(id))
	if err != nil {
		return "", false
	}
	t, ok := tables[prefix]
	return t, ok
}

// isNodeNotFound recognises entgql's "could not resolve to a node" error.
func isNodeNotFound(err error) bool {
	var ge *gqlerror.Error
	return errors.As(err, &ge) && ge.Extensions["code"] == "NOT_FOUND"
}

// addIndexedError reports err at the i-th element of the current list field.
func addIndexedError(ctx context.Context, i int, err error) {
	path := append(ast.Path{}, graphql.GetPath(ctx)...)
	path = append(path, ast.PathIndex(i))
	graphql.AddError(ctx, &gqlerror.Error{Path: path, Message: err.Error(), Err: err})
}
