package accessdoc

import (
	"os"
	"testing"
)

// TestDocumentIsCurrent fails when docs/access-policy.md was not
// regenerated after the access matrix changed.
func TestDocumentIsCurrent(t *testing.T) {
	want, err := Render()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../docs/access-policy.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("docs/access-policy.md is stale: run go run ./authz/accessdoc/cmd")
	}
}
