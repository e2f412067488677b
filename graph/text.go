package graph

import (
	"unicode"
	"unicode/utf8"

	"github.com/rdrr-project/rdrr/internal/apperr"
)

// cleanText rejects text that is not valid UTF-8 or that holds control
// characters or bidirectional formatting characters (U+202A..U+202E,
// U+2066..U+2069, U+200E/F, U+061C), which can make one string display as
// another.
func cleanText(field, s string) error {
	if !utf8.ValidString(s) {
		return apperr.Invalid(field, "%s is not valid UTF-8", field)
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			continue
		case unicode.IsControl(r):
			return apperr.Invalid(field, "%s contains a control character", field)
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
			return apperr.Invalid(field, "%s contains a bidirectional formatting character", field)
		}
	}
	return nil
}
