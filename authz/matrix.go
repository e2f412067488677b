package authz

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/rdrr-project/rdrr/internal/domain"
)

//go:embed access_matrix.csv
var accessMatrix string

// Grant is one cell of the access matrix.
type Grant struct {
	Read, Write bool
}

// Matrix is the expected effect of the default policy: role -> object ->
// grant. It is parsed from access_matrix.csv.
type Matrix map[domain.Role]map[domain.Object]Grant

// ExpectedMatrix parses access_matrix.csv.
func ExpectedMatrix() (Matrix, []domain.Object, error) {
	var (
		objs []domain.Object
		m    = Matrix{}
	)
	for _, line := range strings.Split(accessMatrix, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cells := strings.Split(line, ",")
		if cells[0] == "role" {
			for _, c := range cells[1:] {
				o := domain.Object(c)
				if !domain.ValidObject(o) {
					return nil, nil, fmt.Errorf("access matrix: unknown object %q", c)
				}
				objs = append(objs, o)
			}
			continue
		}
		role := domain.Role(cells[0])
		if !role.Valid() || len(cells) != len(objs)+1 {
			return nil, nil, fmt.Errorf("access matrix: bad row %q", line)
		}
		m[role] = map[domain.Object]Grant{}
		for i, c := range cells[1:] {
			switch c {
			case "r", "w", "rw", "-":
			default:
				return nil, nil, fmt.Errorf("access matrix: bad cell %q for %s %s", c, role, objs[i])
			}
			m[role][objs[i]] = Grant{Read: strings.Contains(c, "r"), Write: strings.Contains(c, "w")}
		}
	}
	return m, objs, nil
}
