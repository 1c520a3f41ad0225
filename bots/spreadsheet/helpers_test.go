package spreadsheet

import (
	"archive/zip"
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rebuild testdata/*.xlsx from the parts beside them")

// shape is what a test compares of a Table: RowNumber is a method, so
// comparing Tables with DeepEqual would compare how it is stored.
type shape struct {
	Header  []string
	Rows    [][]string
	Numbers []int
	Extra   []Cell
}

func shapeOf(t *Table) shape {
	s := shape{Header: t.Header, Rows: t.Rows, Extra: t.Extra}
	for i := range t.Rows {
		s.Numbers = append(s.Numbers, t.RowNumber(i))
	}
	return s
}

func checkShape(t *testing.T, tab *Table, want shape) {
	t.Helper()
	if got := shapeOf(tab); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n\t%#v\nwant\n\t%#v", got, want)
	}
}

// zipParts builds an .xlsx, or any zip, from part names and their text.
func zipParts(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	names := make([]string, 0, len(parts))
	for name := range parts {
		names = append(names, name)
	}
	// Excel writes [Content_Types].xml first; sort.Strings puts it there.
	sort.Strings(names)
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, name := range names {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// partsOf reads every file under dir as a part named by its path.
func partsOf(t testing.TB, dir string) map[string]string {
	t.Helper()
	parts := make(map[string]string)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		parts[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return parts
}

// minimal is a workbook of one sheet, for tests that vary one part.
func minimal(sheetData string) map[string]string {
	return map[string]string{
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			sheetData + `</sheetData></worksheet>`,
	}
}

func with(parts map[string]string, name, body string) map[string]string {
	parts[name] = body
	return parts
}

func readBytes(name string, data []byte) (*Table, error) {
	return Read(name, bytes.NewReader(data), int64(len(data))+1)
}

func readString(name, data string) (*Table, error) {
	return Read(name, strings.NewReader(data), int64(len(data))+1)
}
