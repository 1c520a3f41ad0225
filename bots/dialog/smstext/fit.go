package smstext

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line is one line of a reply. Lines with Drop == 0 (or below) are always
// kept; when a reply is over budget, lines with the highest Drop go first
// (ties: the later line first, as replies put the least important detail
// last).
type Line struct {
	Text string
	Drop int
}

// Fitted is a reply ready to send.
type Fitted struct {
	Text     string
	Segments Segments // Count(Text)
	Stripped bool     // the lines went through Plain and that changed them (accents were removed)
	Cut      bool     // lines were dropped or a line was truncated
}

// Ellipses that end a truncated line. "…" is one UCS-2 unit, but it is not
// GSM-7 and would turn a GSM-7 text into UCS-2, so a text that is GSM-7
// without it gets "...".
const (
	ellipsisUCS2 = "…"
	ellipsisGSM  = "..."
)

// Fit joins the non-empty lines with "\n" and makes the result travel in at
// most budget parts (a budget below 1 counts as 1).
//
// The policy decides the accents:
//   - Keep sends the text as written.
//   - Strip sends Plain of every line.
//   - Auto drops accents only when that saves a part, or when it saves
//     content the budget would otherwise cost. Both versions are fitted to
//     the budget and compared; the plain one wins when it keeps at least as
//     much of every line as the accented one and either takes fewer parts
//     or keeps strictly more of some line (a line the accented version
//     dropped, or more of a line it truncated). Otherwise the accents stay:
//     they are what makes Vietnamese unambiguous, so they are only traded
//     for money or content, and never for a part saved by losing a line.
//     (How much of a line survives is the fraction of its runes, so "…"
//     becoming "..." does not skew the comparison.)
//
// Over budget, lines are dropped one at a time, highest Drop first (ties:
// later line first), until the text fits. Dropped lines are not brought
// back, so a more droppable line never outlives a less droppable one. The
// last line standing is never dropped, so a reply of droppable lines only
// is truncated like an always-kept one.
//
// If the always-kept lines alone still do not fit, the longest of them (in
// runes; ties: the later) that is not the last line is truncated rune by
// rune and ended with an ellipsis: the last line is typically a link and
// must survive whole. A line that would shrink to nothing but the ellipsis
// is dropped instead and the next longest is truncated. Only when the last
// line is left alone and still too long is it truncated too. The result is
// never over budget, and never empty when any line has text.
//
// An unknown policy value is treated as Auto, the zero value.
func Fit(lines []Line, policy Policy, budget int) Fitted {
	budget = max(budget, 1)
	var in []fitLine
	for i, l := range lines {
		if l.Text != "" {
			in = append(in, fitLine{text: l.Text, drop: l.Drop, idx: i})
		}
	}
	if len(in) == 0 {
		return Fitted{Segments: Count("")}
	}

	switch policy {
	case Keep:
		return fitLines(in, budget).fitted(false)
	case Strip:
		plain, changed := plainLines(in)
		return fitLines(plain, budget).fitted(changed)
	}

	accented := fitLines(in, budget)
	plain, changed := plainLines(in)
	if !changed {
		return accented.fitted(false)
	}
	stripped := fitLines(plain, budget)
	if preferPlain(accented, stripped) {
		return stripped.fitted(true)
	}
	return accented.fitted(false)
}

// fitLine is a non-empty input line; idx is its position in the input.
type fitLine struct {
	text string
	drop int
	idx  int
	size size // of text, set by fitLines
}

// fitResult is one version of a reply fitted to the budget, with how much
// of each input line survived, for Auto to compare versions.
type fitResult struct {
	text string
	seg  Segments
	cut  bool
	kept map[int]share // by input index; a missing line was dropped
}

// share is the part of a line that survived: kept of total runes.
type share struct{ kept, total int }

func (r fitResult) fitted(stripped bool) Fitted {
	return Fitted{Text: r.text, Segments: r.seg, Stripped: stripped, Cut: r.cut}
}

// plainLines applies Plain line by line; Plain never empties a non-empty
// line, and it works within lines, so this equals Plain of the joined text.
func plainLines(in []fitLine) ([]fitLine, bool) {
	out := make([]fitLine, len(in))
	changed := false
	for i, l := range in {
		out[i] = l
		out[i].text = Plain(l.text)
		changed = changed || out[i].text != l.text
	}
	return out, changed
}

// preferPlain implements Auto's choice between the fitted accented (a) and
// plain (p) versions; see Fit.
func preferPlain(a, p fitResult) bool {
	more := false
	for idx, ps := range p.kept {
		as, ok := a.kept[idx]
		switch {
		case !ok:
			more = true
		case ps.kept*as.total > as.kept*ps.total:
			more = true
		case ps.kept*as.total < as.kept*ps.total:
			return false
		}
	}
	for idx := range a.kept {
		if _, ok := p.kept[idx]; !ok {
			return false // plain lost a line the accented version kept
		}
	}
	return more || p.seg.Parts < a.seg.Parts
}

// fitLines fits one version of the reply to the budget; see Fit.
//
// It keeps the size of the kept lines up to date as it drops and truncates,
// so that a reply of many lines costs a join and a Count only when the
// size alone can not tell whether it fits.
func fitLines(in []fitLine, budget int) fitResult {
	cur := slices.Clone(in)
	var total size
	for i := range cur {
		cur[i].size = sizeOf(cur[i].text)
		total = total.plus(cur[i].size)
	}
	cut := false

	if !total.fits(budget, func() string { return joinLines(cur, nil) }) {
		// Drop droppable lines, highest Drop first, later line first, but
		// never the last line standing: a reply of droppable lines only
		// is truncated rather than sent empty.
		order := make([]int, len(cur))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(x, y int) int {
			return cmp.Or(cmp.Compare(cur[y].drop, cur[x].drop), cmp.Compare(y, x))
		})
		gone := make([]bool, len(cur))
		for _, i := range order {
			if cur[i].drop <= 0 || total.lines == 1 || total.fits(budget, func() string { return joinLines(cur, gone) }) {
				break
			}
			gone[i] = true
			total = total.minus(cur[i].size)
			cut = true
		}
		left := cur[:0]
		for i, l := range cur {
			if !gone[i] {
				left = append(left, l)
			}
		}
		cur = left
	}

	kept := make(map[int]share, len(cur))
	for _, l := range cur {
		kept[l.idx] = share{l.size.runes, l.size.runes}
	}

	// Truncate the always-kept lines, sparing the last one while others
	// remain; a line that would keep nothing but the ellipsis is dropped.
	for !total.fits(budget, func() string { return joinLines(cur, nil) }) {
		cut = true
		j := len(cur) - 1
		if len(cur) > 1 {
			j = longest(cur[:len(cur)-1])
		}
		l := cur[j]
		total = total.minus(l.size)
		text, sz, k, ok := truncate(cur, total, j, budget)
		if ok && (k > 0 || len(cur) == 1) {
			cur[j].text, cur[j].size = text, sz
			total = total.plus(sz)
			kept[l.idx] = share{k, l.size.runes}
			break
		}
		delete(kept, l.idx)
		cur = slices.Delete(cur, j, j+1)
	}

	text := joinLines(cur, nil)
	return fitResult{text: text, seg: Count(text), cut: cut, kept: kept}
}

// truncate shortens line j of ls to its longest prefix that, followed by an
// ellipsis, lets ls fit the budget; rest is the size of the other lines. It
// returns the new line, its size and how many runes of the old line it
// keeps, or ok == false when even the bare ellipsis does not fit. Trailing
// spaces of the prefix are trimmed so the ellipsis follows a word. The
// search is a binary search over the prefix length that only ever keeps a
// length it has seen fit, so the result always fits.
func truncate(ls []fitLine, rest size, j, budget int) (text string, sz size, kept int, ok bool) {
	line := ls[j].text
	offs := make([]int, 0, len(line)+1) // byte offset of each rune start, then len(line)
	for i := range line {
		offs = append(offs, i)
	}
	offs = append(offs, len(line))

	candidate := func(k int) (string, size, int, bool) {
		prefix := strings.TrimRightFunc(line[:offs[k]], unicode.IsSpace)
		t := prefix + ellipsisUCS2
		if rest.nonGSM == 0 && isGSM(prefix) {
			t = prefix + ellipsisGSM
		}
		ts := sizeOf(t)
		fit := rest.plus(ts).fits(budget, func() string {
			c := slices.Clone(ls)
			c[j].text = t
			return joinLines(c, nil)
		})
		return t, ts, runeCount(prefix), fit
	}

	text, sz, kept, ok = candidate(0)
	if !ok {
		return "", size{}, 0, false
	}
	lo, hi := 0, len(offs)-1 // candidate(lo) fits; the whole line (hi) does not
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if t, ts, k, fit := candidate(mid); fit {
			lo, text, sz, kept = mid, t, ts, k
		} else {
			hi = mid
		}
	}
	return text, sz, kept, true
}

// longest returns the index of the line with the most runes; ties go to the
// later line.
func longest(ls []fitLine) int {
	j, n := 0, -1
	for i, l := range ls {
		if l.size.runes >= n {
			j, n = i, l.size.runes
		}
	}
	return j
}

// joinLines joins the lines not marked in skip (nil: all) with "\n".
func joinLines(ls []fitLine, skip []bool) string {
	var b strings.Builder
	first := true
	for i, l := range ls {
		if skip != nil && skip[i] {
			continue
		}
		if !first {
			b.WriteByte('\n')
		}
		first = false
		b.WriteString(l.text)
	}
	return b.String()
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }
