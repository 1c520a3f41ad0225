package spreadsheet

import (
	"errors"
	"fmt"
)

// The errors Read returns wrap one of these, so the console can pick its own
// translation with errors.Is and still show the English detail if it has
// none. Their text is written for the officer who uploaded the file.
var (
	// ErrTooLarge: the file, once read or once unzipped, or the table it
	// holds, is bigger than this package will take in one go.
	ErrTooLarge = errors.New("the file is too large")

	// ErrOldExcel: an .xls workbook or a password-protected .xlsx; both are
	// OLE compound files this package does not read.
	ErrOldExcel = errors.New("this is an old Excel file (.xls) or a password-protected workbook: " +
		"open it in Excel, remove any password and save it as Excel Workbook (.xlsx) or CSV UTF-8 (.csv)")

	// ErrUnsupported: neither an .xlsx workbook nor text.
	ErrUnsupported = errors.New("the file is not an Excel workbook (.xlsx) or a CSV file")

	// ErrDamaged: an .xlsx whose parts are missing or malformed.
	ErrDamaged = errors.New("the workbook is damaged and cannot be read: open it in Excel and save it again")

	// ErrEmpty: no cell in the file has a value, so there is no header.
	ErrEmpty = errors.New("the file is empty: no header row was found")
)

// damaged wraps err, whose text is for whoever reads the logs, under
// ErrDamaged, whose text is for the officer.
func damaged(part string, err error) error {
	return fmt.Errorf("%w (%s: %w)", ErrDamaged, part, err)
}

// tooLarge says which bound was crossed, in the units an officer knows.
func tooLarge(what string, limit int64) error {
	return fmt.Errorf("%w: %s is larger than %s", ErrTooLarge, what, size(limit))
}

// size writes n bytes the way file managers show sizes.
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
