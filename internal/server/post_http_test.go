package server_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestPostAnswersAsGraphQLOverHTTP: through the real server, the POST
// transport answers with the media type the client accepts, 200 for an
// executed operation, and for a document that does not parse 422 as
// application/json or 400 as application/graphql-response+json (gqlgen's
// rules), always with a JSON body that names the error's code.
func TestPostAnswersAsGraphQLOverHTTP(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	ok, _ := json.Marshal(map[string]any{"query": `{ returnees { totalCount } }`})
	broken, _ := json.Marshal(map[string]any{"query": `{ returnees { totalCount `})
	cases := []struct {
		name, accept string
		body         []byte
		status       int
		mediaType    string
		code         string
	}{
		{"executed, no Accept", "", ok, http.StatusOK, "application/json", ""},
		{"executed, graphql-response+json", "application/graphql-response+json", ok, http.StatusOK, "application/graphql-response+json", ""},
		{"parse error as application/json", "application/json", broken, http.StatusUnprocessableEntity, "application/json", "BAD_USER_INPUT"},
		{"parse error as graphql-response+json", "application/graphql-response+json", broken, http.StatusBadRequest, "application/graphql-response+json", "BAD_USER_INPUT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			if c.accept != "" {
				h.Set("Accept", c.accept)
			}
			r := w.e.Post(t, w.cm, "application/json", c.body, h)
			if r.Status != c.status || r.Header.Get("Content-Type") != c.mediaType {
				t.Fatalf("status %d, %s; want %d, %s: %s", r.Status, r.Header.Get("Content-Type"), c.status, c.mediaType, r.Raw)
			}
			switch {
			case c.code == "" && (len(r.Errors) > 0 || string(r.Data) != `{"returnees":{"totalCount":1}}`):
				t.Fatalf("want one visible case and no errors: %s", r.Raw)
			case c.code != "" && (len(r.Errors) == 0 || r.Errors[0].Code() != c.code || string(r.Data) != "" && string(r.Data) != "null"):
				t.Fatalf("want a %s error and no data: %s", c.code, r.Raw)
			}
		})
	}
}
