package spreadsheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// testdata/excel.xlsx is testdata/excel/ zipped: the parts as Excel 365
// writes them (its namespaces, rich-text runs with their fonts, styles with
// a vi-VN currency format, calcChain), with a second sheet listed after the
// first but stored as sheet1.xml, so only workbook order picks the right one.
func TestReadExcelFixture(t *testing.T) {
	if *update {
		data := zipParts(t, partsOf(t, "testdata/excel"))
		if err := os.WriteFile("testdata/excel.xlsx", data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile("testdata/excel.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := readBytes("Danh sách cơ sở.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, tab, shape{
		Header: []string{"Mã cơ sở", "Tên cơ sở", "Điện thoại", "Ngày cấp", "Diện tích (ha)", "Hữu cơ", "Số lô", "Vốn (đồng)"},
		Rows: [][]string{
			// rich text, a phone number stored as a number, a date with
			// style 14, a formula, a number in a currency format
			{"CS001", "Hợp tác xã Chè Tân Cương", "912345678", "05/03/2024", "1.5", "TRUE", "3", "150000000"},
			// row 3 absent; C4 left out; decomposed text; a custom date
			// format; 17 digits; a string formula; an exponent
			{"CS002", "Cơ sở Hoa Mai", "", "15/03/2023", "0.3", "FALSE", "CS002-L1", "12345678901234600000"},
			{"CS003", "", "0987 654 321", "", "7", "", "", ""},
			// row 6 has styled cells and no values
			{"CS004", "", "", "", "", "", "", ""},
		},
		Numbers: []int{2, 4, 5, 7},
		Extra:   []Cell{{Row: 5, Col: 8, Value: "ghi chú thêm"}},
	})
	if got := tab.Extra[0].Ref(); got != "I5" {
		t.Errorf("Extra[0].Ref() = %q, want I5", got)
	}
}

// testdata/libreoffice.xlsx is what LibreOffice Calc 7.4 wrote for
// testdata/libreoffice.fods, a file no code of ours touched:
//
//	soffice --headless --convert-to xlsx --outdir testdata testdata/libreoffice.fods
//
// It stores its "General" as a custom format, its dates as custom formats,
// rich text with <b val="true"/>, and leaves out blank rows and cells.
func TestReadLibreOfficeFixture(t *testing.T) {
	data, err := os.ReadFile("testdata/libreoffice.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := readBytes("thanh vien.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, tab, shape{
		Header: []string{"Họ tên", "Điện thoại", "Ngày vào", "Số lượng", "Gấp đôi", "Lần cuối"},
		Rows: [][]string{
			{"Nguyễn Văn An", "912345678", "05/03/2024", "12.5", "25", "05/03/2024 14:30"},
			{"Trần Thị Bình", "+84987654321", "", "3", "Trần Thị Bình (2)", ""},
		},
		Numbers: []int{2, 5},
	})
}

// TestExcelFixtureIsItsParts keeps the .xlsx and the readable parts from
// drifting apart; go test -run ExcelFixture -update rebuilds it.
func TestExcelFixtureIsItsParts(t *testing.T) {
	parts := partsOf(t, "testdata/excel")
	zr, err := zip.OpenReader("testdata/excel.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != parts[f.Name] {
			t.Errorf("%s differs from testdata/excel/%[1]s", f.Name)
		}
		delete(parts, f.Name)
	}
	for name := range parts {
		t.Errorf("testdata/excel/%s is not in excel.xlsx", name)
	}
}

const (
	nsStrictRel = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	stylesDates = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts>` +
		`<numFmt numFmtId="164" formatCode="h:mm"/>` +
		`<numFmt numFmtId="165" formatCode="dd/mm/yyyy\ hh:mm:ss"/>` +
		`<numFmt numFmtId="166" formatCode="[h]:mm"/>` +
		`<numFmt numFmtId="167" formatCode="#,##0\ &quot;₫&quot;"/>` +
		`<numFmt numFmtId="168" formatCode="[$-42A]d mmmm yyyy"/>` +
		`</numFmts><cellXfs>` +
		`<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="168"/><xf numFmtId="22"/><xf numFmtId="49"/>` +
		`</cellXfs></styleSheet>`
	relsWithStyles = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`
)

func TestReadXLSX(t *testing.T) {
	tests := []struct {
		name  string
		parts map[string]string
		want  shape
	}{{
		name: "inline strings, rich runs, phonetic runs left out",
		parts: minimal(`<row r="1"><c r="A1" t="inlineStr"><is><t>Tên</t></is></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><r><t xml:space="preserve">Chè </t></r><r><rPr><b/></rPr><t>Thái</t></r><rPh sb="0" eb="1"><t>ちゃ</t></rPh></is></c></row>`),
		want: shape{Header: []string{"Tên"}, Rows: [][]string{{"Chè Thái"}}, Numbers: []int{2}},
	}, {
		name: "rows and cells without references follow the previous one",
		parts: minimal(`<row><c t="inlineStr"><is><t>A</t></is></c><c t="inlineStr"><is><t>B</t></is></c></row>` +
			`<row/><row><c><v>1</v></c><c r="D3"><v>4</v></c><c><v>5</v></c></row>`),
		want: shape{Header: []string{"A", "B"}, Rows: [][]string{{"1", ""}}, Numbers: []int{3},
			Extra: []Cell{{Row: 3, Col: 3, Value: "4"}, {Row: 3, Col: 4, Value: "5"}}},
	}, {
		name:  "escaped characters",
		parts: minimal(`<row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D_b_x005F_x0041_c_x00e9__xZZ</t></is></c></row>`),
		want:  shape{Header: []string{"a\nb_x0041_cé_xZZ"}},
	}, {
		name: "booleans, errors, cached formula values, numbers",
		parts: minimal(`<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><f>1/0</f><v>#DIV/0!</v></c>` +
			`<c r="C1"><f>2^40</f><v>1099511627776</v></c><c r="D1"><v>1.0</v></c><c r="E1"><v>-0.5</v></c><c r="F1"><v>1E-3</v></c><c r="G1" t="n"><v>084</v></c><c r="H1"><v>NaN</v></c><c r="I1"><v>n/a</v></c></row>`),
		want: shape{Header: []string{"TRUE", "#DIV/0!", "1099511627776", "1", "-0.5", "0.001", "84", "NaN", "n/a"}},
	}, {
		name: "ISO dates in cells of type d",
		parts: minimal(`<row r="1"><c r="A1" t="d"><v>2024-03-05</v></c><c r="B1" t="d"><v>2024-03-05T00:00:00</v></c>` +
			`<c r="C1" t="d"><v>2024-03-05T14:30:00</v></c><c r="D1" t="d"><v>not a date</v></c></row>`),
		want: shape{Header: []string{"05/03/2024", "05/03/2024", "05/03/2024 14:30", "not a date"}},
	}, {
		name: "dates and times by style",
		parts: with(with(minimal(`<row r="1"><c r="A1" s="1"><v>45356</v></c><c r="B1" s="2"><v>0.604166666666667</v></c>`+
			`<c r="C1" s="3"><v>45356.5</v></c><c r="D1" s="4"><v>1.5</v></c><c r="E1" s="5"><v>150000</v></c>`+
			`<c r="F1" s="6"><v>45356</v></c><c r="G1" s="7"><v>45356.75</v></c><c r="H1" s="8"><v>912345678</v></c>`+
			`<c r="I1" s="99"><v>45356</v></c><c r="J1" s="1"><v>-1</v></c></row>`),
			"xl/_rels/workbook.xml.rels", relsWithStyles), "xl/styles.xml", stylesDates),
		want: shape{Header: []string{"05/03/2024", "14:30", "05/03/2024 12:00:00", "36:00", "150000", "05/03/2024", "05/03/2024 18:00", "912345678", "45356", "-1"}},
	}, {
		name: "the 1904 date system of old Mac workbooks",
		parts: with(with(with(minimal(`<row r="1"><c r="A1" s="1"><v>43894</v></c></row>`),
			"xl/_rels/workbook.xml.rels", relsWithStyles), "xl/styles.xml", stylesDates),
			"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+
				`<workbookPr date1904="1"/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`),
		want: shape{Header: []string{"05/03/2024"}},
	}, {
		name: "a hidden first sheet is passed over",
		parts: with(with(with(minimal(`<row r="1"><c r="A1" t="inlineStr"><is><t>shown</t></is></c></row>`),
			"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+
				`<sheets><sheet name="Lookup" sheetId="2" state="hidden" r:id="rId2"/><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`),
			"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
				`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`+
				`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`),
			"xl/worksheets/sheet2.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row></sheetData></worksheet>`),
		want: shape{Header: []string{"shown"}},
	}, {
		name: "absolute targets, shared strings without a relationship, no package rels",
		parts: func() map[string]string {
			p := minimal(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)
			delete(p, "_rels/.rels")
			p["xl/_rels/workbook.xml.rels"] = strings.Replace(p["xl/_rels/workbook.xml.rels"], `"worksheets/`, `"/xl/worksheets/`, 1)
			p["xl/sharedStrings.xml"] = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>found</t></si></sst>`
			return p
		}(),
		want: shape{Header: []string{"found"}},
	}, {
		name: "strict OOXML namespaces and prefixed elements",
		parts: with(with(minimal(""),
			"xl/workbook.xml", `<x:workbook xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:r="`+nsStrictRel+`">`+
				`<x:sheets><x:sheet name="Sheet1" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`),
			"xl/worksheets/sheet1.xml", `<x:worksheet xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main"><x:sheetData>`+
				`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>strict</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`),
		want: shape{Header: []string{"strict"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := readBytes("book.xlsx", zipParts(t, tt.parts))
			if err != nil {
				t.Fatal(err)
			}
			checkShape(t, tab, tt.want)
		})
	}
}

func TestReadXLSXRefuses(t *testing.T) {
	tests := []struct {
		name  string
		parts map[string]string
		want  error
		says  string
	}{{
		name:  "a zip that is not a workbook",
		parts: map[string]string{"word/document.xml": "<document/>"},
		want:  ErrUnsupported,
	}, {
		name:  "OpenDocument",
		parts: map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<office:document-content/>"},
		want:  ErrUnsupported, says: ".ods",
	}, {
		name: "a Word document",
		parts: map[string]string{"word/document.xml": `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`,
			"_rels/.rels": strings.Replace(minimal("")["_rels/.rels"], "xl/workbook.xml", "word/document.xml", 1)},
		want: ErrUnsupported,
	}, {
		name: "Excel binary workbook",
		parts: map[string]string{"xl/workbook.bin": "\x83\x01",
			"_rels/.rels": strings.Replace(minimal("")["_rels/.rels"], "xl/workbook.xml", "xl/workbook.bin", 1)},
		want: ErrUnsupported, says: ".xlsb",
	}, {
		name:  "a shared string that is not there",
		parts: minimal(`<row r="1"><c r="A1" t="s"><v>3</v></c></row>`),
		want:  ErrDamaged,
	}, {
		name:  "malformed XML",
		parts: with(minimal(""), "xl/worksheets/sheet1.xml", `<worksheet><sheetData><row><c><v>1</v></row>`),
		want:  ErrDamaged,
	}, {
		name:  "the worksheet part is missing",
		parts: func() map[string]string { p := minimal(""); delete(p, "xl/worksheets/sheet1.xml"); return p }(),
		want:  ErrDamaged,
	}, {
		name:  "no visible worksheet",
		parts: with(minimal(""), "xl/workbook.xml", `<workbook><sheets><sheet name="S" state="hidden" r:id="rId1" xmlns:r="`+nsStrictRel+`"/></sheets></workbook>`),
		want:  ErrEmpty,
	}, {
		name:  "no values",
		parts: minimal(`<row r="1"><c r="A1" s="1"/></row>`),
		want:  ErrEmpty,
	}, {
		name:  "a row wider than Excel",
		parts: minimal(`<row r="1"><c r="XFD1"><v>1</v></c><c><v>2</v></c></row>`),
		want:  ErrTooLarge,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readBytes("book.xlsx", zipParts(t, tt.parts))
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("%q does not say %q", err, tt.says)
			}
		})
	}
}

// bomb is a workbook whose sheet inflates to n bytes of empty rows; with
// lie, its zip headers claim 100 bytes.
func bomb(t *testing.T, n int, lie bool) []byte {
	t.Helper()
	parts := minimal("")
	delete(parts, "xl/worksheets/sheet1.xml")
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, body := range parts {
		w, _ := z.Create(name)
		io.WriteString(w, body)
	}
	var sheet bytes.Buffer
	var w io.Writer = &sheet
	if !lie {
		w, _ = z.Create("xl/worksheets/sheet1.xml")
	}
	chunk := []byte(strings.Repeat("<row/>", 10000))
	for i := 0; i < n/len(chunk); i++ {
		w.Write(chunk)
	}
	if lie {
		h := &zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate}
		w, _ := z.CreateHeader(h)
		w.Write(sheet.Bytes())
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		return forgeSize(t, buf.Bytes(), h.Name, 100)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// forgeSize rewrites the uncompressed size that the central directory
// records for name, as a hostile zip would.
func forgeSize(t *testing.T, data []byte, name string, size uint32) []byte {
	t.Helper()
	sig := []byte("PK\x01\x02")
	for i := bytes.Index(data, sig); i >= 0; {
		nameLen := int(data[i+28]) | int(data[i+29])<<8
		if string(data[i+46:i+46+nameLen]) == name {
			data[i+24], data[i+25], data[i+26], data[i+27] = byte(size), byte(size>>8), byte(size>>16), byte(size>>24)
			return data
		}
		j := bytes.Index(data[i+4:], sig)
		if j < 0 {
			break
		}
		i += 4 + j
	}
	t.Fatal("no central directory entry for " + name)
	return nil
}

func TestReadRefusesZipBombs(t *testing.T) {
	t.Run("honest sizes past the bound", func(t *testing.T) {
		data := bomb(t, maxUnpacked+1<<20, false)
		if len(data) > 1<<20 {
			t.Fatalf("the bomb is %d bytes, not a bomb", len(data))
		}
		_, err := Read("bomb.xlsx", bytes.NewReader(data), 1<<20)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("got %v, want ErrTooLarge", err)
		}
		t.Log(err)
	})
	t.Run("sizes that lie", func(t *testing.T) {
		data := bomb(t, 50<<20, true)
		_, err := Read("bomb.xlsx", bytes.NewReader(data), 1<<20)
		if !errors.Is(err, ErrDamaged) {
			t.Fatalf("got %v, want ErrDamaged", err)
		}
		t.Log(err)
	})
}
