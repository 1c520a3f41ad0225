package spreadsheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// readCSV reads delimited text as Excel would open it, so row numbers in
// the table are the ones Excel shows for the same file.
func readCSV(data []byte) (*Table, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	// Excel honours a first line "sep=;" and does not show it as a row.
	delim := rune(0)
	if line, rest, _ := strings.Cut(text, "\n"); strings.HasPrefix(line, "sep=") {
		if r, n := utf8.DecodeRuneInString(strings.TrimSpace(line[4:])); n > 0 && r != '"' && r != '\n' && r != '\r' && r != utf8.RuneError {
			delim, text = r, rest
		}
	}
	if delim == 0 {
		delim = guessDelimiter(text)
	}

	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	// Excel opens a file with a stray quote in an unquoted cell, say
	// Công ty "Hoa Mai", and keeps the quote; so do we.
	cr.LazyQuotes = true

	var b builder
	var cells []value
	row := 0  // Excel rows read so far
	line := 1 // text line where the unread input starts
	off := int64(0)
	for {
		record, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// With LazyQuotes only a field count or I/O error is left,
			// and neither can happen here; say where all the same.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, damagedCSV(row+pe.StartLine-line+1, pe.Err)
			}
			return nil, damagedCSV(row+1, err)
		}
		// encoding/csv skips empty lines, which Excel shows as empty rows.
		start, _ := cr.FieldPos(0)
		row += start - line + 1
		next := cr.InputOffset()
		line += strings.Count(text[off:next], "\n")
		off = next

		cells = cells[:0]
		for i, s := range record {
			cells = append(cells, value{i, s})
		}
		if err := b.add(row, cells); err != nil {
			return nil, err
		}
	}
	return b.table()
}

func damagedCSV(row int, err error) error {
	return fmt.Errorf("%w: row %d: %v", ErrUnsupported, row, err)
}

// decodeText turns the bytes of a text export into UTF-8: Excel's "CSV
// UTF-8" (with a BOM), its "Unicode Text" (UTF-16 with a BOM, tab
// separated), and its plain "CSV" which, on a Vietnamese Windows, is
// Windows-1258. Any other valid UTF-8 is taken as it is.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		// ExpectBOM reads the byte order from the BOM and drops it.
		u, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", ErrUnsupported
		}
		data = u
	}
	// No text export holds a NUL; a PDF, an image or UTF-16 without its
	// BOM does.
	if bytes.IndexByte(data, 0) >= 0 {
		return "", ErrUnsupported
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	if mostlyUTF8(data) {
		// A stray byte pasted from elsewhere should not turn every
		// accent of a UTF-8 file into mojibake.
		return strings.ToValidUTF8(string(data), "\uFFFD"), nil
	}
	u, err := charmap.Windows1258.NewDecoder().Bytes(data)
	if err != nil {
		return "", ErrUnsupported
	}
	return string(u), nil
}

// mostlyUTF8 tells UTF-8 with a few bad bytes from another encoding: in
// Windows-1258 text, valid multi-byte sequences happen by chance only.
func mostlyUTF8(data []byte) bool {
	multi, bad := 0, 0
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n > 1:
			multi++
		}
		data = data[n:]
	}
	return multi > bad
}

// guessDelimiter picks, among comma, semicolon and tab, the one the first
// non-empty line uses most outside quotes. Excel writes ";" where the
// decimal separator is "," (vi-VN) and tabs for "Unicode Text". On a tie,
// the rarer character in column names wins: headers such as "Địa chỉ, số
// nhà" hold commas, seldom semicolons and never tabs.
func guessDelimiter(text string) rune {
	var comma, semi, tab int
	quoted, blank := false, true
scan:
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			quoted, blank = !quoted, false
		case quoted:
		case c == '\n':
			if !blank {
				break scan
			}
		case c == ',':
			comma++
		case c == ';':
			semi++
		case c == '\t':
			tab++
		case c != ' ' && c != '\r':
			blank = false
		}
	}
	switch {
	case tab > 0 && tab >= semi && tab >= comma:
		return '\t'
	case semi > 0 && semi >= comma:
		return ';'
	}
	return ','
}
