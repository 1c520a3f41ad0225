package spreadsheet

import "strings"

// defuse is a cell as WriteCSV writes it. Excel and LibreOffice take a
// cell that starts with = + - @ (or a tab or CR before one) for a formula,
// which a hostile value in a register could use to run commands or send
// data away (CSV injection); a leading apostrophe makes it text. Phone
// numbers "+84…" and negative numbers are prefixed too: Excel would
// otherwise compute them, dropping the plus. A value that already starts
// with an apostrophe gets a second one, since Read removes one: what Read
// returns, WriteCSV writes back unchanged.
func defuse(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r'", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
