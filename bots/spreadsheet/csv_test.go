package spreadsheet

import (
	"errors"
	"testing"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

func utf16Text(t *testing.T, e unicode.Endianness, s string) string {
	t.Helper()
	b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadCSV(t *testing.T) {
	// Windows-1258 has ê and ô but writes tones as combining marks: "Tên",
	// then "Hồng" as H, ô, a combining grave (0xCC), ng.
	cp1258 := "T\xEAn\nH\xF4\xCCng\n"
	tests := []struct {
		name string
		in   string
		want shape
	}{{
		name: "comma",
		in:   "Name,Phone\nAn,0912345678\n",
		want: shape{Header: []string{"Name", "Phone"}, Rows: [][]string{{"An", "0912345678"}}, Numbers: []int{2}},
	}, {
		name: "BOM and CRLF, as Excel's CSV UTF-8",
		in:   "\uFEFFTên,Điện thoại\r\nChè,0912\r\n",
		want: shape{Header: []string{"Tên", "Điện thoại"}, Rows: [][]string{{"Chè", "0912"}}, Numbers: []int{2}},
	}, {
		name: "semicolon, as Excel in vi-VN, with decimal commas",
		in:   "Tên;Diện tích\nChè;1,5\n",
		want: shape{Header: []string{"Tên", "Diện tích"}, Rows: [][]string{{"Chè", "1,5"}}, Numbers: []int{2}},
	}, {
		name: "semicolon wins over a comma in a column name",
		in:   "Tên;Địa chỉ, số nhà;SĐT\nA;B;C\n",
		want: shape{Header: []string{"Tên", "Địa chỉ, số nhà", "SĐT"}, Rows: [][]string{{"A", "B", "C"}}, Numbers: []int{2}},
	}, {
		name: "tab",
		in:   "Tên\tSĐT\nChè, xanh\t0912\n",
		want: shape{Header: []string{"Tên", "SĐT"}, Rows: [][]string{{"Chè, xanh", "0912"}}, Numbers: []int{2}},
	}, {
		name: "UTF-16LE with BOM, as Excel's Unicode Text",
		in:   utf16Text(t, unicode.LittleEndian, "Tên\tSĐT\r\nChè\t0912\r\n"),
		want: shape{Header: []string{"Tên", "SĐT"}, Rows: [][]string{{"Chè", "0912"}}, Numbers: []int{2}},
	}, {
		name: "UTF-16BE with BOM",
		in:   utf16Text(t, unicode.BigEndian, "Tên\tSĐT\nChè\t0912\n"),
		want: shape{Header: []string{"Tên", "SĐT"}, Rows: [][]string{{"Chè", "0912"}}, Numbers: []int{2}},
	}, {
		name: "Windows-1258, as Excel's plain CSV on a Vietnamese Windows",
		in:   cp1258,
		want: shape{Header: []string{"Tên"}, Rows: [][]string{{"Hồng"}}, Numbers: []int{2}},
	}, {
		name: "UTF-8 with a stray Windows-1252 byte stays UTF-8",
		in:   "Tên,Giá\nChè,5\x80\n",
		want: shape{Header: []string{"Tên", "Giá"}, Rows: [][]string{{"Chè", "5\uFFFD"}}, Numbers: []int{2}},
	}, {
		name: "quoted fields with delimiters, quotes and line breaks count as one row",
		in:   "Tên,Ghi chú\n\"Chè, xanh\",\"dòng 1\r\ndòng 2\"\n\"Cơ sở \"\"Hoa Mai\"\"\",x\n",
		want: shape{Header: []string{"Tên", "Ghi chú"}, Rows: [][]string{{"Chè, xanh", "dòng 1\ndòng 2"}, {`Cơ sở "Hoa Mai"`, "x"}}, Numbers: []int{2, 3}},
	}, {
		name: "a stray quote in an unquoted cell is kept",
		in:   "Tên\nCông ty \"ABC\"\n",
		want: shape{Header: []string{"Tên"}, Rows: [][]string{{`Công ty "ABC"`}}, Numbers: []int{2}},
	}, {
		name: "blank lines and rows of empty cells are skipped but counted",
		in:   "\n\nTên,SĐT\n\n,\n  ,  \nAn,1\n,,\n\nBình,2",
		want: shape{Header: []string{"Tên", "SĐT"}, Rows: [][]string{{"An", "1"}, {"Bình", "2"}}, Numbers: []int{7, 10}},
	}, {
		name: "blank rows before a multi-line cell",
		in:   "A\n\n\"x\ny\"\n\nz\n",
		want: shape{Header: []string{"A"}, Rows: [][]string{{"x\ny"}, {"z"}}, Numbers: []int{3, 5}},
	}, {
		name: "short rows are padded, empty header cells kept, trailing ones dropped",
		in:   "A,,C,,\n1\n1,2,3,,\n",
		want: shape{Header: []string{"A", "", "C"}, Rows: [][]string{{"1", "", ""}, {"1", "2", "3"}}, Numbers: []int{2, 3}},
	}, {
		name: "cells right of the header are extra",
		in:   "A,B\n1,2,note,,again\n,,only extra\n3\n",
		want: shape{Header: []string{"A", "B"}, Rows: [][]string{{"1", "2"}, {"3", ""}}, Numbers: []int{2, 4},
			Extra: []Cell{{Row: 2, Col: 2, Value: "note"}, {Row: 2, Col: 4, Value: "again"}, {Row: 3, Col: 2, Value: "only extra"}}},
	}, {
		name: "cells are trimmed, non-breaking spaces too",
		in:   " Tên ,\u00a0SĐT\u00a0\n  An\t, 0912 \n",
		want: shape{Header: []string{"Tên", "SĐT"}, Rows: [][]string{{"An", "0912"}}, Numbers: []int{2}},
	}, {
		name: "decomposed Vietnamese is composed",
		in:   norm.NFD.String("Tên\nNguyễn Thị Hồng\n"),
		want: shape{Header: []string{"Tên"}, Rows: [][]string{{"Nguyễn Thị Hồng"}}, Numbers: []int{2}},
	}, {
		name: "one leading apostrophe is removed",
		in:   "SĐT,Công thức,Hai,Một\n'+84912345678,'=1+1,''x,'\n",
		want: shape{Header: []string{"SĐT", "Công thức", "Hai", "Một"}, Rows: [][]string{{"+84912345678", "=1+1", "'x", "'"}}, Numbers: []int{2}},
	}, {
		name: "Excel's sep= line sets the delimiter and is not a row",
		in:   "sep=;\r\nA,B;C\r\n1,5;2\r\n",
		want: shape{Header: []string{"A,B", "C"}, Rows: [][]string{{"1,5", "2"}}, Numbers: []int{2}},
	}, {
		name: "one column",
		in:   "Tên\nAn\n",
		want: shape{Header: []string{"Tên"}, Rows: [][]string{{"An"}}, Numbers: []int{2}},
	}, {
		name: "a header and no rows",
		in:   "A;B\n",
		want: shape{Header: []string{"A", "B"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := readString("list.csv", tt.in)
			if err != nil {
				t.Fatal(err)
			}
			checkShape(t, tab, tt.want)
		})
	}
}

func TestReadCSVRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"nothing", "", ErrEmpty},
		{"blank lines and delimiters", "\n \n;;;\n", ErrEmpty},
		{"binary", "%PDF-1.7\n\x00\x01\x02", ErrUnsupported},
		{"UTF-16 without BOM", "T\x00e\x00n\x00", ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readString("list.csv", tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestGuessDelimiter(t *testing.T) {
	tests := []struct {
		in   string
		want rune
	}{
		{"a,b,c", ','},
		{"a;b;c", ';'},
		{"a\tb", '\t'},
		{"a", ','},
		{"a,b;c", ';'},
		{"a;b\tc", '\t'},
		{`"a;b;c",d`, ','},
		{"\n\r\n  \na;b", ';'},
		{";;;\na,b", ';'},
		{"\"x\ny;z\";w\nq,r,s,t", ';'},
	}
	for _, tt := range tests {
		if got := guessDelimiter(tt.in); got != tt.want {
			t.Errorf("guessDelimiter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
