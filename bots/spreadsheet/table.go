package spreadsheet

import (
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Table is one sheet: a header row and the rows under it.
type Table struct {
	// Header holds the column names, trimmed, from the first non-empty row.
	Header []string
	// Rows holds the data rows; each has exactly len(Header) cells.
	Rows [][]string
	// HeaderRow is the header's row number as Excel shows it: 1 unless
	// blank rows came first. Zero means 1, for tables built by hand.
	HeaderRow int
	// Extra lists the non-empty cells right of the header's last column,
	// which are not in Rows.
	Extra []Cell

	rowNumbers []int // of Rows, when read from a file
}

// Cell is a value and where it sits in the sheet.
type Cell struct {
	Row   int // as Excel numbers rows, from 1
	Col   int // from 0, as Header and Rows index columns
	Value string
}

// Ref names the cell the way Excel does, "H9".
func (c Cell) Ref() string {
	return fmt.Sprintf("%s%d", columnName(c.Col), c.Row)
}

// RowNumber is the number Excel shows for Rows[i]. Blank rows the reader
// skipped are counted, so it is what an officer looks for on screen.
func (t *Table) RowNumber(i int) int {
	if t.rowNumbers != nil {
		return t.rowNumbers[i]
	}
	h := t.HeaderRow
	if h == 0 {
		h = 1
	}
	return h + 1 + i
}

// Both formats are read into a Table through a builder, so the rules on
// blank rows, padding and extra cells are written once. The bounds keep a
// small file from becoming a huge table: rows are padded to the header's
// width, so a wide header over many one-cell rows multiplies.
const (
	maxCells   = 2_000_000 // padded cells plus extra cells, the whole table
	maxColumns = 16384     // Excel's own limit, XFD
)

type value struct {
	col int
	s   string
}

type builder struct {
	t     Table
	cells int
}

// add takes the cells of row number n as the file holds them; it
// normalises them in place and ignores the empty ones. Rows must come in
// increasing n.
func (b *builder) add(n int, cells []value) error {
	kept, width := cells[:0], 0
	for _, c := range cells {
		if c.s = normalise(c.s); c.s != "" {
			kept = append(kept, c)
			width = max(width, c.col+1)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	if b.t.Header == nil {
		if width > maxColumns {
			return fmt.Errorf("%w: the header row has more than %d columns", ErrTooLarge, maxColumns)
		}
		b.t.Header = make([]string, width)
		for _, c := range kept {
			b.t.Header[c.col] = c.s
		}
		b.t.HeaderRow = n
		return b.spend(width)
	}
	width = len(b.t.Header)
	var row []string
	for _, c := range kept {
		if c.col >= width {
			b.t.Extra = append(b.t.Extra, Cell{Row: n, Col: c.col, Value: c.s})
			if err := b.spend(1); err != nil {
				return err
			}
			continue
		}
		if row == nil {
			row = make([]string, width)
		}
		row[c.col] = c.s
	}
	if row == nil {
		return nil
	}
	b.t.Rows = append(b.t.Rows, row)
	b.t.rowNumbers = append(b.t.rowNumbers, n)
	return b.spend(width)
}

func (b *builder) spend(n int) error {
	b.cells += n
	if b.cells > maxCells {
		return fmt.Errorf("%w: it has more than %d cells; split it into smaller files", ErrTooLarge, maxCells)
	}
	return nil
}

func (b *builder) table() (*Table, error) {
	if b.t.Header == nil {
		return nil, ErrEmpty
	}
	return &b.t, nil
}

// normalise is applied to every cell read. The apostrophe goes because
// WriteCSV adds it to defuse formulas and officers type it to keep Excel
// from turning "0912…" into a number; it is never part of the data.
// Line breaks become "\n", as Excel has them; "\r\n" and a lone "\r" come
// from text editors and old Macs.
func normalise(s string) string {
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	s = strings.TrimSpace(s)
	if len(s) > 1 && s[0] == '\'' {
		s = strings.TrimSpace(s[1:])
	}
	return s
}
