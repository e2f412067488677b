package server

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestWriteResponseMatchesMarshal holds writeResponse to gqlgen's writer
// (json.Marshal of the response): the same bytes where the data has no
// character json.Marshal escapes, the same JSON value always.
func TestWriteResponseMatchesMarshal(t *testing.T) {
	yes := true
	cases := []struct {
		name      string
		resp      graphql.Response
		sameBytes bool
	}{
		{"data only", graphql.Response{Data: json.RawMessage(`{"node":{"id":"ret_1","tags":["a","b"],"n":1.5}}`)}, true},
		{"no data, no errors", graphql.Response{}, true},
		{"errors and null data", graphql.Response{Errors: gqlerror.List{{Message: "not found", Path: ast.Path{ast.PathName("node")}, Extensions: map[string]any{"code": "NOT_FOUND"}}}}, true},
		{"errors, data and extensions", graphql.Response{
			Errors:     gqlerror.List{{Message: "forbidden", Extensions: map[string]any{"code": "FORBIDDEN"}}},
			Data:       json.RawMessage(`{"a":null,"b":{"c":[1,2]}}`),
			Extensions: map[string]any{"cost": 12, "requestId": "r-1"},
		}, true},
		{"data with characters json.Marshal escapes", graphql.Response{Data: json.RawMessage("{\"s\":\"<b>&amp;</b> \u2028\"}")}, false},
		{"incremental delivery left to json.Marshal", graphql.Response{Data: json.RawMessage(`{"x":1}`), Label: "l", Path: ast.Path{ast.PathName("a")}, HasNext: &yes}, true},
		{"unencodable extension becomes INTERNAL", graphql.Response{Data: json.RawMessage(`{}`), Extensions: map[string]any{"bad": func() {}}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got bytes.Buffer
			writeResponse(&got, &c.resp)
			want, err := json.Marshal(&c.resp)
			if err != nil {
				var v map[string]any
				if err := json.Unmarshal(got.Bytes(), &v); err != nil {
					t.Fatalf("not JSON: %s", got.Bytes())
				}
				if code := v["errors"].([]any)[0].(map[string]any)["extensions"].(map[string]any)["code"]; code != "INTERNAL" {
					t.Fatalf("code %v, want INTERNAL: %s", code, got.Bytes())
				}
				return
			}
			if c.sameBytes && !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("bytes differ\n got %s\nwant %s", got.Bytes(), want)
			}
			var g, w any
			if err := json.Unmarshal(got.Bytes(), &g); err != nil {
				t.Fatalf("not JSON: %v: %s", err, got.Bytes())
			}
			if err := json.Unmarshal(want, &w); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("values differ\n got %s\nwant %s", got.Bytes(), want)
			}
		})
	}
}

// TestResponseContentType follows transport.POST's choice of media type
// with its defaults.
func TestResponseContentType(t *testing.T) {
	cases := []struct{ accept, want string }{
		{"", contentTypeJSON},
		{"*/*", contentTypeJSON},
		{"application/*", contentTypeJSON},
		{"application/json", contentTypeJSON},
		{"application/graphql-response+json", contentTypeGraphQLResponse},
		{"application/graphql-response+json, application/json;q=0.9", contentTypeGraphQLResponse},
		{"text/html, application/json", contentTypeJSON},
		{"text/html", contentTypeGraphQLResponse},
		{"not a media type;;", contentTypeGraphQLResponse},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "/graphql", nil)
		if c.accept != "" {
			r.Header.Set("Accept", c.accept)
		}
		if got := responseContentType(r); got != c.want {
			t.Errorf("Accept %q: %s, want %s", c.accept, got, c.want)
		}
	}
}
