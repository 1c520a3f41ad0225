package spreadsheet

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// OOXML writes a character XML cannot hold (most control characters, and CR,
// which XML parsers turn into LF) as _xHHHH_, and a literal "_x0041_" as
// "_x005F_x0041_". Excel does both; so do we, and we undo both when reading.

// escapeAt reads an _xHHHH_ at the start of s.
func escapeAt(s string) (rune, bool) {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return 0, false
	}
	r, err := strconv.ParseUint(s[2:6], 16, 16)
	return rune(r), err == nil
}

func unescapeXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "_x")
		if i < 0 {
			break
		}
		r, ok := escapeAt(s[i:])
		if !ok {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteRune(r)
		s = s[i+7:]
	}
	b.WriteString(s)
	return b.String()
}

// escapeXML makes s the character data of a <t> element.
func escapeXML(b *bufio.Writer, s string) {
	for i, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '_':
			if _, ok := escapeAt(s[i:]); ok {
				b.WriteString("_x005F_")
			} else {
				b.WriteByte('_')
			}
		case r < 0x20 && r != '\t' && r != '\n', r == 0xFFFE, r == 0xFFFF:
			fmt.Fprintf(b, "_x%04X_", r)
		default:
			// Invalid UTF-8 comes out as U+FFFD, which XML can hold.
			b.WriteRune(r)
		}
	}
}
