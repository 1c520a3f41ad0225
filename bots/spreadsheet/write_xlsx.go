package spreadsheet

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxCellText is the longest text Excel keeps in a cell; it reports a
// longer one as damage.
const maxCellText = 32767

// WriteXLSX writes the header and rows as a workbook of one sheet, "Sheet1",
// that Excel, LibreOffice and Read open. Every cell is a text cell with the
// Text format ("@"), and so are the columns, so a phone number or a GTIN
// keeps its leading "+" or "0", also in rows an officer adds later. The
// header is bold and stays in view when scrolling. Extra is not written.
func WriteXLSX(w io.Writer, t *Table) error {
	if n := len(t.Rows) + 1; n > maxRows {
		return fmt.Errorf("%w: Excel holds at most %d rows", ErrTooLarge, maxRows)
	}
	width := len(t.Header)
	for _, row := range t.Rows {
		width = max(width, len(row))
	}
	if width > maxColumns {
		return fmt.Errorf("%w: Excel holds at most %d columns", ErrTooLarge, maxColumns)
	}

	z := zip.NewWriter(w)
	for _, part := range xlsxParts {
		if err := writePart(z, part.name, func(b *bufio.Writer) error {
			_, err := b.WriteString(part.body)
			return err
		}); err != nil {
			return err
		}
	}
	if err := writePart(z, "xl/worksheets/sheet1.xml", func(b *bufio.Writer) error {
		return writeSheet(b, t, width)
	}); err != nil {
		return err
	}
	return z.Close()
}

func writePart(z *zip.Writer, name string, write func(*bufio.Writer) error) error {
	f, err := z.Create(name)
	if err != nil {
		return err
	}
	b := bufio.NewWriter(f)
	if err := write(b); err != nil {
		return err
	}
	return b.Flush()
}

// Style indices into cellXfs in the styles part below.
const (
	styleText   = "1"
	styleHeader = "2"
)

func writeSheet(b *bufio.Writer, t *Table, width int) error {
	b.WriteString(xmlHeader + `<worksheet xmlns="` + nsMain + `">`)
	b.WriteString(`<sheetViews><sheetView workbookViewId="0">` +
		`<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`</sheetView></sheetViews>`)
	if width > 0 {
		fmt.Fprintf(b, `<cols><col min="1" max="%d" width="20" style="%s" customWidth="1"/></cols>`, width, styleText)
	}
	b.WriteString(`<sheetData>`)
	if err := writeRow(b, 1, t.Header, styleHeader); err != nil {
		return err
	}
	for i, row := range t.Rows {
		if err := writeRow(b, i+2, row, styleText); err != nil {
			return err
		}
	}
	b.WriteString(`</sheetData></worksheet>`)
	return nil
}

func writeRow(b *bufio.Writer, n int, cells []string, style string) error {
	num := strconv.Itoa(n)
	b.WriteString(`<row r="` + num + `">`)
	for i, s := range cells {
		if s == "" {
			continue
		}
		if len(s) > maxCellText && utf8.RuneCountInString(s) > maxCellText {
			return fmt.Errorf("cell %s holds more than %d characters, which Excel cannot show", columnName(i)+num, maxCellText)
		}
		// Read removes one leading apostrophe, as for CSV; give it one.
		if strings.HasPrefix(s, "'") {
			s = "'" + s
		}
		b.WriteString(`<c r="` + columnName(i) + num + `" s="` + style + `" t="inlineStr"><is><t xml:space="preserve">`)
		escapeXML(b, s)
		b.WriteString(`</t></is></c>`)
	}
	_, err := b.WriteString(`</row>`)
	return err
}

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkgRel  = "http://schemas.openxmlformats.org/package/2006/relationships"
	ctPrefix  = "application/vnd.openxmlformats-officedocument.spreadsheetml."
)

// xlsxParts are the parts that do not depend on the table: the least Excel
// opens without offering to repair the file.
var xlsxParts = []struct{ name, body string }{
	{"[Content_Types].xml", xmlHeader +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + ctPrefix + `sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="` + ctPrefix + `worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="` + ctPrefix + `styles+xml"/>` +
		`</Types>`},
	{"_rels/.rels", xmlHeader +
		`<Relationships xmlns="` + nsPkgRel + `">` +
		`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`},
	{"xl/workbook.xml", xmlHeader +
		`<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>` +
		`</workbook>`},
	{"xl/_rels/workbook.xml.rels", xmlHeader +
		`<Relationships xmlns="` + nsPkgRel + `">` +
		`<Relationship Id="rId1" Type="` + nsRel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="` + nsRel + `/styles" Target="styles.xml"/>` +
		`</Relationships>`},
	// Fills 0 and 1 are required by Excel whatever they say. Style 1 is
	// Text (numFmt 49), style 2 the same in bold.
	{"xl/styles.xml", xmlHeader +
		`<styleSheet xmlns="` + nsMain + `">` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>` +
		`<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill>` +
		`<fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`</styleSheet>`},
}
