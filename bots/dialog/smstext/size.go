package smstext

// size is what decides the length of lines joined with "\n", kept per line
// and summed, so that Fit can tell most of the time whether a set of lines
// fits the budget without joining and counting them.
type size struct {
	lines  int // number of lines
	nonGSM int // lines with a rune GSM-7 can not carry
	septs  int // GSM-7 septets of the lines (meaningful when nonGSM == 0)
	units  int // UTF-16 code units of the lines
	runes  int
}

// sizeOf measures one line.
func sizeOf(s string) size {
	sz := size{lines: 1}
	for _, r := range s {
		sz.runes++
		sz.units++
		if r >= 0x10000 {
			sz.units++
		}
		if w := septets(r); w > 0 {
			sz.septs += w
		} else {
			sz.nonGSM = 1
		}
	}
	return sz
}

func (a size) plus(b size) size {
	return size{a.lines + b.lines, a.nonGSM + b.nonGSM, a.septs + b.septs, a.units + b.units, a.runes + b.runes}
}

func (a size) minus(b size) size {
	return size{a.lines - b.lines, a.nonGSM - b.nonGSM, a.septs - b.septs, a.units - b.units, a.runes - b.runes}
}

// fits reports whether the lines fit in budget parts. The size settles it
// when the text fits a single message, or when even parts filled to the
// last unit could not hold it; only in between, where the part
// boundaries fall matters, is the joined text (from join) counted.
func (a size) fits(budget int, join func() string) bool {
	if a.lines == 0 {
		return true
	}
	n, single, multi := a.units+a.lines-1, ucs2Single, ucs2Multi // each "\n" is one unit
	if a.nonGSM == 0 {
		n, single, multi = a.septs+a.lines-1, gsmSingle, gsmMulti // and one septet
	}
	if n <= single {
		return true
	}
	if (n+multi-1)/multi > budget {
		return false
	}
	return Count(join()).Parts <= budget
}
