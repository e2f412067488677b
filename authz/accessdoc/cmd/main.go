// Command cmd writes docs/access-policy.md.
package main

import (
	"log"
	"os"

	"github.com/rdrr-project/rdrr/authz/accessdoc"
)

func main() {
	md, err := accessdoc.Render()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("docs/access-policy.md", []byte(md), 0o644); err != nil {
		log.Fatal(err)
	}
}
