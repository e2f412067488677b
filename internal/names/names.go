// Package names folds the spellings of Central Asian names to one search key,
// so that search and duplicate detection see through script and
// transliteration: Ахмедов, Akhmedov, Axmedov and Ahmedov all fold to
// "ahmedov"; Нурлан and Nurlan to "nurlan"; Жанна and Janna to "jana".
//
// The folding is deliberately lossy (it merges sounds that transliteration
// systems write differently) because a missed match in a case search costs
// more than an extra candidate. The key holds only a-z, 0-9 and spaces, so it
// can never carry SQL or LIKE metacharacters.
package names

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// cyrillic maps Russian, Kazakh, Uzbek and Kyrgyz Cyrillic letters to a
// Latin spelling before folding.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sh",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	// Kazakh, Kyrgyz, Uzbek additions.
	'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h", 'і': "i", 'ў': "o",
}

// rules are applied in order to the lower-case Latin spelling. Longer
// sequences come first so that "dzh" is not read as "d" + "zh".
var rules = []struct{ from, to string }{
	{"dzh", "j"}, {"dj", "j"}, {"zh", "j"},
	{"kh", "h"}, {"x", "h"},
	{"gh", "g"}, {"g'", "g"}, {"gʻ", "g"},
	{"o'", "o"}, {"oʻ", "o"},
	{"sh", "s"}, {"ch", "c"}, {"ts", "c"},
	{"yu", "u"}, {"iu", "u"}, {"ya", "a"}, {"ia", "a"}, {"yo", "o"}, {"ye", "e"},
	{"q", "k"}, {"w", "v"},
	{"y", "i"},
}

// Fold returns the search key of one spelling: lower-case Latin letters and
// digits, words separated by single spaces, repeated letters collapsed.
func Fold(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	for _, r := range s {
		if lat, ok := cyrillic[r]; ok {
			b.WriteString(lat)
			continue
		}
		b.WriteRune(r)
	}
	s = stripMarks(b.String())
	for _, r := range rules {
		s = strings.ReplaceAll(s, r.from, r.to)
	}
	var out strings.Builder
	var prev rune = ' '
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if r == prev {
				continue // Nurlann, Ahmmedov
			}
		default:
			r = ' '
			if prev == ' ' {
				continue
			}
		}
		out.WriteRune(r)
		prev = r
	}
	return strings.TrimSpace(out.String())
}

// stripMarks removes diacritics: ö -> o, ü -> u, ä -> a, ş -> s.
func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Key returns the stored search key of a person from all their spellings:
// the distinct folded words, each preceded by a space, so that a prefix of
// any word matches with LIKE '% prefix%'.
func Key(spellings ...string) string {
	seen := map[string]bool{}
	var b strings.Builder
	for _, s := range spellings {
		for _, w := range strings.Fields(Fold(s)) {
			if seen[w] {
				continue
			}
			seen[w] = true
			b.WriteByte(' ')
			b.WriteString(w)
		}
	}
	return b.String()
}
