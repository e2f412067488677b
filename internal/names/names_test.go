package names

import "testing"

func TestFoldSeesThroughScriptAndTransliteration(t *testing.T) {
	groups := [][]string{
		{"Ахмедов", "Akhmedov", "Axmedov", "Ahmedov"},
		{"Нурлан", "Nurlan"},
		{"Жанна", "Zhanna", "Janna"},
		{"Юсупов", "Yusupov", "Iusupov"},
		{"Қасымов", "Kasymov", "Qasimov"},
		{"Ғафуров", "Gafurov", "G'afurov", "Ghafurov"},
		{"Ўктам", "O'ktam", "Oktam"},
		{"Шерзод", "Sherzod"},
		{"Джамиля", "Dzhamilya", "Jamila", "Djamilya"},
		{"Gülnara", "Гульнара", "Gulnara"},
	}
	for _, g := range groups {
		want := Fold(g[0])
		for _, s := range g[1:] {
			if got := Fold(s); got != want {
				t.Errorf("Fold(%q) = %q, want %q (as Fold(%q))", s, got, want, g[0])
			}
		}
	}
}

func TestFoldKeepsDifferentNamesApart(t *testing.T) {
	pairs := [][2]string{{"Nurlan", "Nurbek"}, {"Akhmedov", "Alimov"}, {"Aigul", "Aisha"}}
	for _, p := range pairs {
		if Fold(p[0]) == Fold(p[1]) {
			t.Errorf("Fold(%q) == Fold(%q) = %q", p[0], p[1], Fold(p[0]))
		}
	}
}

func TestFoldOutputIsSafeForLike(t *testing.T) {
	for _, s := range []string{"%_\\'\"; DROP TABLE returnees; --", "a\u202eb", "x\x00y", "日本"} {
		for _, r := range Fold(s) {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == ' ') {
				t.Errorf("Fold(%q) contains %q", s, r)
			}
		}
	}
}

func TestKeyHoldsEveryWordOnce(t *testing.T) {
	got := Key("Нурлан", "Ахмедов", "Nurlan Akhmedov")
	if got != " nurlan ahmedov" {
		t.Errorf("Key = %q", got)
	}
}
