package spreadsheet

import (
	"bufio"
	"io"
	"strings"
)

// WriteCSV writes the header and rows as Excel's "CSV UTF-8": a BOM (without
// it Excel reads the bytes as the system's code page and garbles
// Vietnamese), commas and CRLF line ends. Cells are defused against
// formula injection (see defuse). Extra is not written.
//
// Excel opens a comma-separated file by double-click in columns only where
// the list separator is a comma; where it is ";" (vi-VN), officers use Data
// › From Text, or the .xlsx export.
func WriteCSV(w io.Writer, t *Table) error {
	b := bufio.NewWriter(w)
	b.WriteString("\uFEFF")
	writeRecord(b, t.Header)
	for _, row := range t.Rows {
		writeRecord(b, row)
	}
	return b.Flush()
}

func writeRecord(b *bufio.Writer, record []string) {
	for i, s := range record {
		if i > 0 {
			b.WriteByte(',')
		}
		writeField(b, defuse(s))
	}
	b.WriteString("\r\n")
}

// writeField quotes more than encoding/csv would: a tab or a semicolon in
// the header would otherwise make Read take it for the delimiter, and a
// first cell "sep=…" for Excel's delimiter line.
func writeField(b *bufio.Writer, s string) {
	if s == "" || !strings.ContainsAny(s, ",;\t\"\r\n") && s[0] != ' ' && !strings.HasPrefix(s, "sep=") {
		b.WriteString(s)
		return
	}
	b.WriteByte('"')
	b.WriteString(strings.ReplaceAll(s, `"`, `""`))
	b.WriteByte('"')
}
