package server_test

import (
	"context"

	"github.com/rdrr-project/rdrr/authz/viewer"
)

func sysCtx() context.Context { return viewer.SystemContext(context.Background()) }
