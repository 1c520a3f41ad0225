package spreadsheet

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzRead feeds Read anything: it must not panic, and what it returns
// must keep the Table's promises and survive both writers unchanged.
//
//	go test -run '^$' -fuzz FuzzRead -fuzztime 30s -fuzzminimizetime 2s ./bots/spreadsheet
//
// The short minimisation matters: by default the fuzzer spends up to a
// minute shrinking each new input from the 6 KB workbook seeds, and a 30 s
// run does little else.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"Name,Phone\nAn,0912345678\n",
		"\uFEFFTên;Diện tích\r\n\r\nChè;1,5\r\n",
		"sep=;\nA;B\n\"x\ny\";'+84\n,,,\n",
		"\xFF\xFET\x00\t\x00A\x00\n\x001\x00",
		"T\xEAn\nH\xF4\xCCng\n",
		"A,B\n1,2,3,,4\n\"unterminated\n",
	} {
		f.Add("list.csv", []byte(s))
	}
	for _, p := range []string{"testdata/excel.xlsx", "testdata/libreoffice.xlsx"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add("book.xlsx", data)
	}
	f.Add("book.xlsx", zipParts(f, minimal(`<row r="2"><c r="B2" t="inlineStr"><is><t>a_x000D_</t></is></c><c r="D2" s="1"><v>45356</v></c></row>`)))
	for _, tab := range roundTrips[:2] {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, tab); err != nil {
			f.Fatal(err)
		}
		f.Add("export.xlsx", buf.Bytes())
	}

	f.Fuzz(func(t *testing.T, name string, data []byte) {
		tab, err := Read(name, bytes.NewReader(data), int64(len(data))+1)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error with no message")
			}
			return
		}
		checkPromises(t, tab)
		for _, w := range []struct {
			name  string
			write func(*bytes.Buffer, *Table) error
		}{
			{"again.csv", func(b *bytes.Buffer, t *Table) error { return WriteCSV(b, t) }},
			{"again.xlsx", func(b *bytes.Buffer, t *Table) error { return WriteXLSX(b, t) }},
		} {
			var buf bytes.Buffer
			if err := w.write(&buf, tab); err != nil {
				continue // a cell too long for Excel
			}
			again, err := readBytes(w.name, buf.Bytes())
			if err != nil {
				t.Fatalf("%s: %v", w.name, err)
			}
			if !reflect.DeepEqual(again.Header, tab.Header) || !reflect.DeepEqual(again.Rows, tab.Rows) {
				t.Fatalf("%s changed the table:\n%q %q\n%q %q", w.name, tab.Header, tab.Rows, again.Header, again.Rows)
			}
		}
	})
}

func checkPromises(t *testing.T, tab *Table) {
	t.Helper()
	cell := func(where, s string) {
		if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) || strings.TrimSpace(s) != s || strings.Contains(s, "\r") {
			t.Fatalf("%s %q is not valid, NFC, trimmed text without CR", where, s)
		}
	}
	if len(tab.Header) == 0 || tab.Header[len(tab.Header)-1] == "" {
		t.Fatalf("header %q is empty or ends empty", tab.Header)
	}
	for _, s := range tab.Header {
		cell("header", s)
	}
	last := tab.HeaderRow
	for i, row := range tab.Rows {
		if len(row) != len(tab.Header) {
			t.Fatalf("row %d has %d cells, the header %d", i, len(row), len(tab.Header))
		}
		if n := tab.RowNumber(i); n <= last {
			t.Fatalf("row %d is numbered %d, after %d", i, n, last)
		} else {
			last = n
		}
		blank := true
		for _, s := range row {
			cell("cell", s)
			blank = blank && s == ""
		}
		if blank {
			t.Fatalf("row %d is blank", i)
		}
	}
	for _, c := range tab.Extra {
		cell("extra", c.Value)
		if c.Col < len(tab.Header) || c.Value == "" || c.Row <= tab.HeaderRow {
			t.Fatalf("extra %+v is inside the table or empty", c)
		}
	}
}
