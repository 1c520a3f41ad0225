package spreadsheet

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDefuse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+84912345678", "'+84912345678"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"'quoted", "''quoted"},
		{"0912345678", "0912345678"},
		{"Nguyễn Văn An", "Nguyễn Văn An"},
		{"a=b", "a=b"},
		{" =1", " =1"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := defuse(tt.in); got != tt.want {
			t.Errorf("defuse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	tab := &Table{
		Header: []string{"Tên", "SĐT", "Ghi chú", "sep=;"},
		Rows: [][]string{
			{"Cơ sở \"Hoa Mai\"", "+84912345678", "a, b; c\nd", ""},
			{"=1+1", "0912345678", "\ttab", " lead"},
		},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tab); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFTên,SĐT,Ghi chú,\"sep=;\"\r\n" +
		"\"Cơ sở \"\"Hoa Mai\"\"\",'+84912345678,\"a, b; c\nd\",\r\n" +
		"'=1+1,0912345678,\"'\ttab\",\" lead\"\r\n"
	if got := buf.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// roundTrips are tables as Read returns them: what WriteCSV and WriteXLSX
// write, Read must give back.
var roundTrips = []*Table{
	{Header: []string{"Tên", "Điện thoại", "GTIN"}, Rows: [][]string{
		{"Nguyễn Văn An", "+84912345678", "08934567890123"},
		{"Cơ sở \"Hoa Mai\", Tân Cương", "0912345678", "00123"},
	}},
	{Header: []string{"Formulas", "Apostrophes", "Signs"}, Rows: [][]string{
		{"=HYPERLINK(\"http://evil\",\"x\")", "'already quoted", "-5"},
		{"@SUM(A1:A2)", "'", "+"},
	}},
	{Header: []string{"Lines", "Markup", "Escapes"}, Rows: [][]string{
		{"dòng 1\ndòng 2", "<b>&amp;</b>", "_x0041_ and _x005F_"},
		{"a\tb", "\x01\x1f control", "\uFFFE"},
	}},
	{Header: []string{"sep=,", "", "Gap"}, Rows: [][]string{{"", "mid", ""}, {"x", "", "y"}}},
	{Header: []string{"a;b", "c\td"}, Rows: [][]string{{"1;2", "3\t4"}}},
	{Header: []string{"Only a header"}},
}

func TestWriteRoundTrip(t *testing.T) {
	writers := []struct {
		name  string
		write func(*bytes.Buffer, *Table) error
	}{
		{"list.csv", func(b *bytes.Buffer, t *Table) error { return WriteCSV(b, t) }},
		{"list.xlsx", func(b *bytes.Buffer, t *Table) error { return WriteXLSX(b, t) }},
	}
	for _, w := range writers {
		for i, want := range roundTrips {
			var buf bytes.Buffer
			if err := w.write(&buf, want); err != nil {
				t.Fatalf("%s %d: %v", w.name, i, err)
			}
			got, err := readBytes(w.name, buf.Bytes())
			if err != nil {
				t.Fatalf("%s %d: %v", w.name, i, err)
			}
			if !reflect.DeepEqual(got.Header, want.Header) || !reflect.DeepEqual(got.Rows, want.Rows) {
				t.Errorf("%s %d:\ngot  %q %q\nwant %q %q", w.name, i, got.Header, got.Rows, want.Header, want.Rows)
			}
		}
	}
}

func TestWriteXLSXRefuses(t *testing.T) {
	tests := []struct {
		name string
		tab  *Table
		want string
	}{
		{"a cell longer than Excel keeps", &Table{Header: []string{"A"}, Rows: [][]string{{strings.Repeat("ô", maxCellText+1)}}}, "cell A2"},
		{"too many columns", &Table{Header: make([]string, maxColumns+1)}, "columns"},
		{"too many rows", &Table{Header: []string{"A"}, Rows: make([][]string, maxRows)}, "rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteXLSX(&bytes.Buffer{}, tt.tab)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error about %s", err, tt.want)
			}
		})
	}
	if err := WriteXLSX(&bytes.Buffer{}, &Table{Header: []string{"A"}, Rows: [][]string{{strings.Repeat("ô", maxCellText)}}}); err != nil {
		t.Errorf("a cell of exactly %d characters: %v", maxCellText, err)
	}
}

// TestWriteXLSXOpensInLibreOffice has LibreOffice, a reader we did not
// write, open WriteXLSX's file and save it as CSV. It is skipped where
// LibreOffice is not installed (apt-get install libreoffice-calc-nogui).
func TestWriteXLSXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil || testing.Short() {
		t.Skip("needs LibreOffice (soffice)")
	}
	dir := t.TempDir()
	var buf bytes.Buffer
	want := roundTrips[0]
	if err := WriteXLSX(&buf, want); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "export.xlsx")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// 44,34,76: comma, double quote, UTF-8.
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+dir+"/profile",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := readBytes("export.csv", csv)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Header, want.Header) || !reflect.DeepEqual(got.Rows, want.Rows) {
		t.Errorf("LibreOffice read\n%q %q\nwant\n%q %q", got.Header, got.Rows, want.Header, want.Rows)
	}
}
