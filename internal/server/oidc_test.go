package server_test

import (
	"testing"

	"github.com/rdrr-project/rdrr/ent/organisation"
	"github.com/rdrr-project/rdrr/internal/domain"
	"github.com/rdrr-project/rdrr/internal/server"
	"github.com/rdrr-project/rdrr/internal/testenv"
)

func TestOpenIDConnectTokens(t *testing.T) {
	is := testenv.NewIssuer(t)
	e := testenv.Start(t, testenv.SQLiteURL(t), func(c *server.Config) {
		c.OIDCIssuer, c.OIDCAudience, c.DevTokens = is.URL, "rdrr-api", false
	})
	gov := e.Org(t, "gov-kz", organisation.KindGOVERNMENT, "KZ")
	u := e.User(t, "cm@gov-kz.example", gov, domain.RoleCaseManager)
	if _, err := e.Store.Client.User.UpdateOne(u).SetOidcSubject("idp|1234").Save(sysCtx()); err != nil {
		t.Fatal(err)
	}
	me := `{ me { user { email } roles } }`
	ok := func(tok string) bool {
		r := e.Query(t, tok, me, nil)
		return len(r.Errors) == 0
	}
	if !ok(is.Token(t, "rdrr-api", "idp|1234", "", false)) {
		t.Fatal("token mapped by subject refused")
	}
	// Mapped by verified e-mail when the subject is unknown; not by an
	// unverified one.
	if !ok(is.Token(t, "rdrr-api", "idp|other", "cm@gov-kz.example", true)) {
		t.Error("token mapped by verified e-mail refused")
	}
	if ok(is.Token(t, "rdrr-api", "idp|other2", "cm@gov-kz.example", false)) {
		t.Error("token with an unverified e-mail accepted")
	}
	if ok(is.Token(t, "another-client", "idp|1234", "", false)) {
		t.Error("token for another audience accepted")
	}
	// Key rotation: the issuer signs with a new key and withdraws the old;
	// rdrr refetches the JWKS when it meets the new key ID.
	fetches := is.JWKSFetches
	is.Rotate(t, "key-2", true)
	if !ok(is.Token(t, "rdrr-api", "idp|1234", "", false)) {
		t.Error("token signed with the rotated key refused")
	}
	if is.JWKSFetches == fetches {
		t.Error("the JWKS was not refetched after rotation")
	}
	// Development tokens are off in this deployment.
	if ok(e.Token(t, "cm@gov-kz.example")) {
		t.Error("development token accepted with development tokens disabled")
	}
}
