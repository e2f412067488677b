package authz_test

import "github.com/rdrr-project/rdrr/ent"

type (
	organisationT = ent.Organisation
	userT         = ent.User
	entTx         = ent.Tx
)
