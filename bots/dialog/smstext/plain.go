package smstext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// plainPunct maps typographic characters that phones and editors insert
// for us to the ASCII a basic phone shows. Anything not listed here and not
// in GSM-7 becomes '?'. Besides the mappings the spec asks for (dashes,
// curly quotes, ellipsis, non-breaking space, bullet) it maps a few close
// cousins that copy-pasted text carries (minus sign, figure dash, low and
// reversed quotes, guillemets, backtick, tab); other space separators are
// handled in plainRune.
var plainPunct = map[rune]string{
	'‐': "-", '‑': "-", '‒': "-", '–': "-", '—': "-", '―': "-", '−': "-",
	'“': `"`, '”': `"`, '„': `"`, '‟': `"`, '«': `"`, '»': `"`,
	'‘': "'", '’': "'", '‚': "'", '‛': "'", '`': "'",
	'…':  "...",
	'•':  "*",
	'\t': " ",
	'đ':  "d", 'Đ': "D", // letters of their own, not d + a mark, so NFD leaves them alone
}

// Plain rewrites s so it travels as GSM-7: Count(Plain(s)).Encoding is
// always GSM7.
//
// Diacritics are removed by decomposing (NFD), dropping the combining marks
// (Mn) and recomposing (NFC); đ and Đ are mapped to d and D. All marks go,
// including those of letters GSM-7 could carry (è, é, à, ì, ò, ù, Ä, Ñ…):
// those are also Vietnamese letters, and keeping them would half-strip a
// sentence ("Chè đậu" → "Chè dau"), which reads worse than none. The
// recomposition keeps a character that decomposes into several non-GSM
// parts (a Hangul syllable) a single '?'.
//
// Typographic punctuation is mapped to ASCII (see plainPunct), any space
// separator becomes a plain space, and every rune still outside GSM-7
// becomes '?'.
//
// Each byte of invalid UTF-8 becomes '?', as Count counts it as one U+FFFD.
//
// A combining mark with no base before it on its line becomes '?' rather
// than vanishing, so a non-empty line never becomes empty: Fit relies on
// that to never send an empty reply.
func Plain(s string) string {
	if isPlainASCII(s) {
		return s
	}
	s = replaceInvalid(s)
	s = norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	base := false // a rune has been written on the current line
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			if base {
				continue
			}
			r = '?'
		case r == '\n':
			base = false
			b.WriteRune(r)
			continue
		}
		base = true
		b.WriteRune(r)
	}
	s = norm.NFC.String(b.String())

	b.Reset()
	for _, r := range s {
		plainRune(&b, r)
	}
	return b.String()
}

// plainRune writes the GSM-7 rendering of one rune.
func plainRune(b *strings.Builder, r rune) {
	if p, ok := plainPunct[r]; ok {
		b.WriteString(p)
		return
	}
	switch {
	case septets(r) > 0:
		b.WriteRune(r)
	case unicode.Is(unicode.Zs, r): // no-break, thin, ideographic… spaces
		b.WriteByte(' ')
	default:
		b.WriteByte('?')
	}
}

// isPlainASCII reports whether s is ASCII that GSM-7 carries as is, the
// common case for replies without accents, which Plain returns untouched.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || septets(rune(c)) == 0 {
			return false
		}
	}
	return true
}

// replaceInvalid turns each byte of invalid UTF-8 into '?' before
// normalization, whose handling of invalid bytes depends on what follows
// them (so Plain would not work line by line).
func replaceInvalid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				b.WriteByte('?')
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}
