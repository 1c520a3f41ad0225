package spreadsheet

// columnName is Excel's name for column i (from 0): A … Z, AA … XFD.
func columnName(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append(b, byte('A'+(i-1)%26))
	}
	for l, r := 0, len(b)-1; l < r; l, r = l+1, r-1 {
		b[l], b[r] = b[r], b[l]
	}
	return string(b)
}

// parseRef reads a cell reference such as "C7" into column 2 (from 0) and
// row 7. Anything else, or a column past Excel's last, is not ok.
func parseRef(ref string) (col, row int, ok bool) {
	i := 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		col = col*26 + int(ref[i]-'A'+1)
		if col > maxColumns {
			return 0, 0, false
		}
	}
	if i == 0 || i == len(ref) {
		return 0, 0, false
	}
	row, ok = parseCount(ref[i:])
	return col - 1, row, ok
}

// parseCount reads a positive decimal number no larger than Excel's last
// row, so attributes in a hostile file cannot overflow.
func parseCount(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
		if n > maxRows {
			return 0, false
		}
	}
	return n, n > 0
}

const maxRows = 1 << 20 // Excel's own limit, 1048576
