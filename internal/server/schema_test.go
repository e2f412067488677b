package server_test

import (
	"strings"
	"testing"

	"github.com/rdrr-project/rdrr/internal/testenv"
)

// TestEverythingInTheSchemaIsDescribed: integrators read the schema, so
// every type, field, argument, input field and enum value has a description.
func TestEverythingInTheSchemaIsDescribed(t *testing.T) {
	w := newWorld(t, testenv.Store{Name: "sqlite", URL: testenv.SQLiteURL(t)})
	q := `{ __schema { types { name kind description
	  fields { name description args { name description } }
	  inputFields { name description }
	  enumValues { name description } } } }`
	var d struct {
		Schema struct {
			Types []struct {
				Name, Kind, Description string
				Fields                  []struct {
					Name, Description string
					Args              []struct{ Name, Description string }
				}
				InputFields []struct{ Name, Description string }
				EnumValues  []struct{ Name, Description string }
			}
		} `json:"__schema"`
	}
	w.e.Query(t, w.cm, q, nil).Decode(t, &d)
	builtin := map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}
	missing := 0
	report := func(what string) {
		missing++
		if missing <= 30 {
			t.Errorf("no description: %s", what)
		}
	}
	for _, ty := range d.Schema.Types {
		if strings.HasPrefix(ty.Name, "__") || builtin[ty.Name] {
			continue
		}
		if strings.TrimSpace(ty.Description) == "" {
			report(ty.Name)
		}
		for _, f := range ty.Fields {
			if strings.TrimSpace(f.Description) == "" {
				report(ty.Name + "." + f.Name)
			}
			for _, a := range f.Args {
				if strings.TrimSpace(a.Description) == "" {
					report(ty.Name + "." + f.Name + "(" + a.Name + ")")
				}
			}
		}
		for _, f := range ty.InputFields {
			if strings.TrimSpace(f.Description) == "" {
				report(ty.Name + "." + f.Name)
			}
		}
		for _, v := range ty.EnumValues {
			if strings.TrimSpace(v.Description) == "" {
				report(ty.Name + "." + v.Name)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d schema elements without a description", missing)
	}
}
