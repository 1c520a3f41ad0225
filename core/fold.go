package core

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold removes Vietnamese diacritics so `nhật ký`, `NHAT KY` compare equal
// after upper-casing. đ and Đ are letters of their own, not d with a mark,
// so NFD leaves them alone and they get their own mapping.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return strings.NewReplacer("đ", "d", "Đ", "D").Replace(folded)
}
