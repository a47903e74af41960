package procedure

import (
	"slices"
	"strings"
	"unicode"
)

// Blank reports whether a required text says nothing: it is empty or holds only white space
// (the full-width space 　 and every other Unicode space included) and invisible format
// characters such as the zero-width space. A required text that is Blank is absent.
func Blank(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) }) < 0
}

// NormalName is the form in which names of units and people are compared: without white
// space or invisible characters, full-width letters and digits as half-width, ASCII letters
// in lower case. "区住建委 " and "区住建委" are one unit; so are "ＡＢＣ" and "abc".
func NormalName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.Is(unicode.Cf, r):
			continue
		case r >= 0xFF01 && r <= 0xFF5E: // full-width forms of ASCII
			r -= 0xFEE0
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// SameName reports whether a and b name the same unit or person once normalised; a blank
// name is the same as no other.
func SameName(a, b string) bool {
	return !Blank(a) && NormalName(a) == NormalName(b)
}

// containsName reports whether names holds name, normalised.
func containsName(names []string, name string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return SameName(n, name) })
}
