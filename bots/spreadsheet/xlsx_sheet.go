package spreadsheet

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// sheet streams a worksheet into a table: one <c> is decoded at a time, so
// memory follows the cells kept, not the size of the XML.
func (p *pkg) sheet(name string, strs []string, st styles) (*Table, error) {
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var b builder
	var cells []value
	row, col := 0, -1
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return b.table()
		}
		if err != nil {
			return nil, damaged(name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				// r is optional and, in a sound file, increasing; a
				// row without one follows the previous row.
				row++
				if r, ok := parseCount(attr(t, "r")); ok && r > row {
					row = r
				}
				col, cells = -1, cells[:0]
			case "c":
				var c xCell
				if err := d.DecodeElement(&c, &t); err != nil {
					return nil, damaged(name, err)
				}
				// Empty cells are left out of the XML, so the reference,
				// when there is one, is what places a cell.
				if cc, _, ok := parseRef(c.R); ok {
					col = cc
				} else {
					col++
				}
				if col >= maxColumns || len(cells) >= maxColumns {
					return nil, fmt.Errorf("%w: row %d has more than %d columns", ErrTooLarge, row, maxColumns)
				}
				s, err := c.value(strs, st)
				if err != nil {
					return nil, damaged(name, err)
				}
				cells = append(cells, value{col, s})
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "row":
				if err := b.add(row, cells); err != nil {
					return nil, err
				}
			case "sheetData":
				return b.table()
			}
		}
	}
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

type xCell struct {
	R  string `xml:"r,attr"`
	T  string `xml:"t,attr"`
	S  string `xml:"s,attr"`
	V  string `xml:"v"` // for a formula, the value Excel last computed
	IS xRich  `xml:"is"`
}

// xRich is a string item: plain (<t>) or rich text, whose runs (<r><t>)
// are concatenated. Phonetic runs (<rPh>) are left out, as Excel shows.
type xRich struct {
	T    string `xml:"t"`
	Runs []struct {
		T string `xml:"t"`
	} `xml:"r"`
}

func (x *xRich) text() string {
	if len(x.Runs) == 0 {
		return unescapeXML(x.T)
	}
	var b strings.Builder
	b.WriteString(x.T)
	for _, r := range x.Runs {
		b.WriteString(r.T)
	}
	return unescapeXML(b.String())
}

// value is the cell as text, the way Excel would show it in a vi-VN
// locale for dates, and the way Go writes numbers for numbers.
func (c *xCell) value(strs []string, st styles) (string, error) {
	switch c.T {
	case "inlineStr":
		return c.IS.text(), nil
	case "s":
		if c.V == "" {
			return "", nil
		}
		i, err := strconv.Atoi(strings.TrimSpace(c.V))
		if err != nil || i < 0 || i >= len(strs) {
			return "", fmt.Errorf("cell %s: no shared string %q", c.R, c.V)
		}
		return strs[i], nil
	case "str", "e":
		return unescapeXML(c.V), nil
	case "b":
		switch strings.TrimSpace(c.V) {
		case "1":
			return "TRUE", nil
		case "0":
			return "FALSE", nil
		}
		return c.V, nil
	case "d":
		return isoDate(c.V), nil
	}
	return st.format(c.V, c.S), nil
}

// sharedStrings reads the workbook's table of strings, which cells of type
// "s" index.
func (p *pkg) sharedStrings(name string) ([]string, error) {
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var strs []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return strs, nil
		}
		if err != nil {
			return nil, damaged(name, err)
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "si" {
			var si xRich
			if err := d.DecodeElement(&si, &t); err != nil {
				return nil, damaged(name, err)
			}
			if len(strs) >= maxCells {
				return nil, fmt.Errorf("%w: it has more than %d distinct texts", ErrTooLarge, maxCells)
			}
			strs = append(strs, si.text())
		}
	}
}
