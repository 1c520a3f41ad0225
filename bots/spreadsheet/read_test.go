package spreadsheet

import (
	"errors"
	"strings"
	"testing"
)

func TestReadRefusesOldExcel(t *testing.T) {
	ole := "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + strings.Repeat("\x00", 504)
	tests := []struct{ name, filename, data string }{
		{"an .xls by its content", "danh sach.xlsx", ole},
		{"an .xls by its name, even holding text", `C:\Users\so\DANH SACH.XLS`, "Tên\tSĐT\n"},
		{"a password-protected workbook", "", ole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readString(tt.filename, tt.data)
			if !errors.Is(err, ErrOldExcel) {
				t.Fatalf("got %v, want ErrOldExcel", err)
			}
			for _, says := range []string{".xls", ".xlsx", ".csv"} {
				if !strings.Contains(err.Error(), says) {
					t.Errorf("%q does not mention %s", err, says)
				}
			}
		})
	}
}

func TestReadLimit(t *testing.T) {
	tests := []struct {
		name  string
		size  int
		limit int64
		err   error
		says  string
	}{
		{"at the limit", 100, 100, nil, ""},
		{"a byte over", 101, 100, ErrTooLarge, "larger than 100 bytes"},
		{"over in megabytes", 3 << 20, 2 << 20, ErrTooLarge, "larger than 2 MB"},
		{"no limit given means the default", DefaultLimit + 1, 0, ErrTooLarge, "larger than 10 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := "A\n" + strings.Repeat("x", tt.size-2)
			_, err := Read("big.csv", strings.NewReader(data), tt.limit)
			if !errors.Is(err, tt.err) {
				t.Fatalf("got %v, want %v", err, tt.err)
			}
			if err != nil && !strings.Contains(err.Error(), tt.says) {
				t.Errorf("%q does not say %q", err, tt.says)
			}
		})
	}
}

func TestRowNumberOfATableBuiltByHand(t *testing.T) {
	tab := &Table{Header: []string{"A"}, Rows: [][]string{{"1"}, {"2"}}}
	if got := tab.RowNumber(1); got != 3 {
		t.Errorf("RowNumber(1) = %d, want 3", got)
	}
	tab.HeaderRow = 4
	if got := tab.RowNumber(0); got != 5 {
		t.Errorf("RowNumber(0) after HeaderRow 4 = %d, want 5", got)
	}
}

func TestNormalise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a  ", "a"},
		{"'0912", "0912"},
		{"''x", "'x"},
		{"'", "'"},
		{"' x", "x"},
		{"a\r\nb\rc", "a\nb\nc"},
		{"\u00a0Ho\u0300ng\u00a0", "Hòng"},
		{"'+84 912", "+84 912"},
	}
	for _, tt := range tests {
		if got := normalise(tt.in); got != tt.want {
			t.Errorf("normalise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
