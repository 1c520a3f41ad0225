package spreadsheet

import (
	"math"
	"strconv"
	"strings"
)

// Excel stores a date as a number, the days since 1900 (or 1904), and only
// the cell's style says it is a date. styles keeps, per style index, what
// its number format shows.
type styles struct {
	formats  []numFmt // by the cell's s attribute
	date1904 bool
}

// numFmt is what a number format shows, as far as reading text goes.
type numFmt struct {
	date    bool // a calendar day
	clock   bool // a time of day, or a duration if elapsed
	seconds bool
	elapsed bool // [h]:mm, hours past 24
}

type xStyles struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	CellXfs []struct {
		NumFmtID int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

func (p *pkg) styles(name string) (styles, error) {
	var x xStyles
	if err := p.decode(name, &x); err != nil {
		return styles{}, err
	}
	custom := make(map[int]numFmt, len(x.NumFmts))
	for _, f := range x.NumFmts {
		custom[f.ID] = parseFormat(f.Code)
	}
	st := styles{formats: make([]numFmt, len(x.CellXfs))}
	for i, xf := range x.CellXfs {
		if f, ok := custom[xf.NumFmtID]; ok {
			st.formats[i] = f
		} else {
			st.formats[i] = builtinFormat(xf.NumFmtID)
		}
	}
	return st, nil
}

// builtinFormat knows the built-in formats that show dates or times, the
// ids ECMA-376 gives in 18.8.30; ids 27–36 and 50–58 are dates in the East
// Asian locales that use them. The others show numbers.
func builtinFormat(id int) numFmt {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return numFmt{date: true}
	case id == 18 || id == 20:
		return numFmt{clock: true}
	case id == 19 || id == 21 || id == 45:
		return numFmt{clock: true, seconds: true}
	case id == 22:
		return numFmt{date: true, clock: true}
	case id == 46 || id == 47:
		return numFmt{clock: true, seconds: true, elapsed: true}
	}
	return numFmt{}
}

// parseFormat reads a custom format code such as "dd/mm/yyyy;@" or
// "[$-42A]h:mm AM/PM". Quoted text, escaped characters and [colour] or
// [$locale] sections say nothing about dates and are skipped.
func parseFormat(code string) numFmt {
	var f numFmt
	months := false // an m that is not obviously minutes
	code = strings.ToLower(code)
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++ // the next character is shown as it is, or as padding
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return f
			}
			if inner := code[i+1 : i+j]; inner != "" && strings.Trim(inner, "hms") == "" {
				f.clock, f.elapsed = true, true
				f.seconds = f.seconds || strings.Contains(inner, "s")
			}
			i += j
		case 'd', 'y':
			f.date = true
		case 'h':
			f.clock = true
		case 's':
			f.clock, f.seconds = true, true
		case 'm':
			months = true
		}
	}
	if months && !f.clock {
		f.date = true
	}
	return f
}

// format writes the number in v as the style s shows it: a date or time
// when the style says so, otherwise the number without the exponent or the
// ".0" a writer may have left in the XML.
func (st styles) format(v, s string) string {
	v = strings.TrimSpace(v)
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
		return v
	}
	if i, err := strconv.Atoi(s); err == nil && i >= 0 && i < len(st.formats) {
		if f := st.formats[i]; f.date || f.clock {
			if t, ok := formatSerial(n, f, st.date1904); ok {
				return t
			}
		}
	}
	return formatNumber(n)
}

// formatNumber writes n with the 15 significant digits Excel keeps, in
// plain decimals within Excel's own range for them: a phone number stored
// as a number comes back as its digits, 0.1+0.2 as "0.3".
func formatNumber(n float64) string {
	n, _ = strconv.ParseFloat(strconv.FormatFloat(n, 'g', 15, 64), 64)
	if a := max(n, -n); a == 0 || (a >= 1e-9 && a < 1e21) {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	return strings.ToUpper(strconv.FormatFloat(n, 'g', -1, 64))
}
