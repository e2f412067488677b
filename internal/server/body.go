package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/rdrr-project/rdrr/internal/apperr"
)

// maxJSONDepth bounds the nesting of the request body (its variables):
// deeply nested JSON costs memory and stack to decode and is never needed.
const maxJSONDepth = 32

// readBody reads the (size-limited) request body and checks it before
// gqlgen sees it: valid UTF-8 (invalid bytes would otherwise be replaced
// silently), one operation (no batch arrays), and bounded nesting.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *apperr.Error, int) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if asMaxBytes(err, &mbe) {
			return nil, apperr.Invalid("", "the request body is over the limit of %d bytes", limit).With("limit", limit), http.StatusRequestEntityTooLarge
		}
		return nil, apperr.Invalid("", "the request body could not be read"), http.StatusBadRequest
	}
	if !utf8.Valid(body) {
		return nil, apperr.Invalid("", "the request body is not valid UTF-8"), http.StatusBadRequest
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return nil, apperr.Invalid("", "batched requests are not supported: send one operation per request"), http.StatusBadRequest
	}
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(body) {
		return nil, apperr.Invalid("", `the request body must be a JSON object: {"query": "...", "variables": {...}}`), http.StatusBadRequest
	}
	var shape struct {
		Query         *string          `json:"query"`
		OperationName *string          `json:"operationName"`
		Variables     *json.RawMessage `json:"variables"`
		Extensions    *json.RawMessage `json:"extensions"`
	}
	if err := json.Unmarshal(body, &shape); err != nil || shape.Query == nil {
		return nil, apperr.Invalid("query", `the request must have a "query" string, an optional "operationName" string and optional "variables" object`), http.StatusBadRequest
	}
	for name, raw := range map[string]*json.RawMessage{"variables": shape.Variables, "extensions": shape.Extensions} {
		if raw == nil {
			continue
		}
		v := bytes.TrimSpace(*raw)
		if !bytes.Equal(v, []byte("null")) && (len(v) == 0 || v[0] != '{') {
			return nil, apperr.Invalid(name, "%q must be a JSON object", name), http.StatusBadRequest
		}
	}
	if d := jsonDepth(body); d > maxJSONDepth {
		return nil, apperr.Invalid("variables", "the request nests %d levels deep, over the limit of %d", d, maxJSONDepth).With("limit", maxJSONDepth), http.StatusBadRequest
	}
	return body, nil, 0
}

func asMaxBytes(err error, target **http.MaxBytesError) bool {
	e, ok := err.(*http.MaxBytesError)
	if ok {
		*target = e
	}
	return ok
}

// jsonDepth returns the deepest nesting of objects and arrays in b,
// skipping strings. It does not validate; the decoder does that.
func jsonDepth(b []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > deepest {
				deepest = depth
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}
