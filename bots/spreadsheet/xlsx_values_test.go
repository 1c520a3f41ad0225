package spreadsheet

import "testing"

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{912345678, "912345678"},
		{84912345678, "84912345678"},
		{8934567890123, "8934567890123"}, // an EAN-13 typed as a number
		{1, "1"},
		{0, "0"},
		{-0.5, "-0.5"},
		{0.1 + 0.2, "0.3"},
		{1.5, "1.5"},
		{12345678901234567890, "12345678901234600000"},
		{1e-10, "1E-10"},
		{1e21, "1E+21"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.in); got != tt.want {
			t.Errorf("formatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	date, clock, both := numFmt{date: true}, numFmt{clock: true}, numFmt{date: true, clock: true}
	tests := []struct {
		code string
		want numFmt
	}{
		{"General", numFmt{}},
		{"0.00", numFmt{}},
		{"0.00E+00", numFmt{}},
		{`#,##0\ [$₫-42A]`, numFmt{}},
		{`#,##0 "đồng"`, numFmt{}},
		{`[Red]-#,##0;[Blue]#,##0`, numFmt{}},
		{"_(* #,##0_);_(* (#,##0)", numFmt{}},
		{"dd/mm/yyyy;@", date},
		{"[$-42A]dd/mm/yyyy", date},
		{"d-mmm-yy", date},
		{"mmm", date},
		{"yyyy", date},
		{"h:mm", clock},
		{"h:mm AM/PM", clock},
		{"mm:ss", numFmt{clock: true, seconds: true}},
		{"dd/mm/yyyy hh:mm", both},
		{"[h]:mm:ss", numFmt{clock: true, seconds: true, elapsed: true}},
		{`"Ngày" dd`, date},
		{`\d0`, numFmt{}},
	}
	for _, tt := range tests {
		if got := parseFormat(tt.code); got != tt.want {
			t.Errorf("parseFormat(%q) = %+v, want %+v", tt.code, got, tt.want)
		}
	}
}

func TestFormatSerial(t *testing.T) {
	date, clock := numFmt{date: true}, numFmt{clock: true}
	tests := []struct {
		n        float64
		f        numFmt
		date1904 bool
		want     string
		ok       bool
	}{
		{1, date, false, "01/01/1900", true},
		{59, date, false, "28/02/1900", true},
		{61, date, false, "01/03/1900", true},
		{45356, date, false, "05/03/2024", true},
		{45356, date, true, "06/03/2028", true},
		{2958465, date, false, "31/12/9999", true},
		{2958466, date, false, "", false},
		{-1, date, false, "", false},
		{0.5, clock, false, "12:00", true},
		{0.99999, clock, false, "23:59", true},     // 23:59:59, not rounded up
		{0.999999999, clock, false, "00:00", true}, // rounds to midnight
		{45356.9999999, numFmt{date: true, clock: true}, false, "06/03/2024 00:00", true},
		{2.25, numFmt{clock: true, elapsed: true}, false, "54:00", true},
	}
	for _, tt := range tests {
		got, ok := formatSerial(tt.n, tt.f, tt.date1904)
		if got != tt.want || ok != tt.ok {
			t.Errorf("formatSerial(%v, %+v, %v) = %q, %v; want %q, %v", tt.n, tt.f, tt.date1904, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCellRefs(t *testing.T) {
	tests := []struct {
		ref      string
		col, row int
		ok       bool
	}{
		{"A1", 0, 1, true},
		{"Z9", 25, 9, true},
		{"AA10", 26, 10, true},
		{"XFD1048576", 16383, 1048576, true},
		{"XFE1", 0, 0, false},
		{"A1048577", 0, 0, false},
		{"A0", 0, 0, false},
		{"a1", 0, 0, false},
		{"A", 0, 0, false},
		{"1", 0, 0, false},
		{"", 0, 0, false},
		{"A1B", 0, 0, false},
	}
	for _, tt := range tests {
		col, row, ok := parseRef(tt.ref)
		if ok != tt.ok || ok && (col != tt.col || row != tt.row) {
			t.Errorf("parseRef(%q) = %d, %d, %v; want %d, %d, %v", tt.ref, col, row, ok, tt.col, tt.row, tt.ok)
		}
		if ok {
			if name := columnName(col); name+tt.ref[len(name):] != tt.ref {
				t.Errorf("columnName(%d) = %q, not the start of %q", col, name, tt.ref)
			}
		}
	}
}
