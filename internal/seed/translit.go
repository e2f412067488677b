package seed

import (
	"strings"
	"unicode"
)

// Agencies write the same person in Cyrillic and in several Latin
// transliterations (Ахмедов, Akhmedov, Axmedov). The demo data does the same,
// so that search and duplicate detection have something real to work on.
// Each scheme below maps lower-case Cyrillic letters to Latin; all of them
// fold to the same search key under internal/names (checked by the tests).

type scheme map[rune]string

// passport is the Russian-style (BGN/PCGN-like) spelling found in older
// passports and most international documents.
var passport = scheme{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sh",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h", 'і': "i", 'ў': "o",
}

// informal is the spelling of social media and hand-written forms: й as i,
// х as h, ж as j.
var informal = with(passport, scheme{'й': "i", 'х': "h", 'ж': "j", 'ы': "i"})

// national is the country's own Latin alphabet: Uzbek (x, j, q, g', o'),
// Kazakh (2021 alphabet: q, ğ, ä, ö, ü, ū) and Kyrgyz (no official Latin; a
// Turkic-style spelling with j and ü, ö is common).
var national = map[string]scheme{
	"UZ": with(passport, scheme{'х': "x", 'ж': "j", 'қ': "q", 'ғ': "g'", 'ў': "o'", 'ц': "ts"}),
	"KZ": with(passport, scheme{'х': "h", 'ж': "j", 'қ': "q", 'ғ': "ğ", 'ә': "ä", 'ө': "ö", 'ү': "ü", 'ұ': "ū", 'ң': "ñ", 'ш': "ş"}),
	"KG": with(passport, scheme{'х': "h", 'ж': "j", 'ү': "ü", 'ө': "ö", 'ң': "ñ"}),
}

func with(base, over scheme) scheme {
	s := scheme{}
	for k, v := range base {
		s[k] = v
	}
	for k, v := range over {
		s[k] = v
	}
	return s
}

// latin transliterates a Cyrillic name with sc, capitalising each word.
func latin(cyr string, sc scheme) string {
	var b strings.Builder
	start := true
	for _, r := range cyr {
		lr := unicode.ToLower(r)
		out, ok := sc[lr]
		if !ok {
			out = string(lr)
		}
		if r == ' ' || r == '-' {
			start = true
			b.WriteRune(r)
			continue
		}
		if start && out != "" {
			rs := []rune(out)
			rs[0] = unicode.ToUpper(rs[0])
			out = string(rs)
			start = false
		}
		b.WriteString(out)
	}
	return b.String()
}

// femaleFamily gives the female form of a family name: Ахмедов -> Ахмедова.
func femaleFamily(m string) string {
	for _, end := range []string{"ов", "ев", "ёв", "ин"} {
		if strings.HasSuffix(m, end) {
			return m + "а"
		}
	}
	return m
}

// patronymic derives a Russian-style patronymic from the father's given
// name, as Central Asian civil registries write it: Нурлан -> Нурланович /
// Нурлановна, Сергей -> Сергеевич, Абдулла -> Абдуллаевич.
func patronymic(father string, female bool) string {
	rs := []rune(father)
	last := rs[len(rs)-1]
	stem := father
	soft := false
	switch {
	case last == 'й' || last == 'ь':
		stem = string(rs[:len(rs)-1])
		soft = true
	case strings.ContainsRune("аеиоуыэюяәөүұі", last):
		soft = true
	case strings.ContainsRune("жшчщц", last):
		soft = true
	}
	switch {
	case soft && female:
		return stem + "евна"
	case soft:
		return stem + "евич"
	case female:
		return stem + "овна"
	default:
		return stem + "ович"
	}
}

// spelling is one rendering of a person's name.
type spelling struct{ given, family, patronymic string }

func (s spelling) full() string { return s.given + " " + s.family }

// spellings renders a Cyrillic name in Cyrillic and in the three Latin
// schemes of its country, dropping renderings equal to an earlier one.
func spellings(country string, n spelling) []spelling {
	out := []spelling{n}
	for _, sc := range []scheme{passport, national[country], informal} {
		l := spelling{latin(n.given, sc), latin(n.family, sc), latin(n.patronymic, sc)}
		dup := false
		for _, o := range out {
			if o.full() == l.full() {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, l)
		}
	}
	return out
}
