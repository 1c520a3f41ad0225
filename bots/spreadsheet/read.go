package spreadsheet

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
)

// DefaultLimit is the size Read accepts when it is given no limit.
const DefaultLimit = 10 << 20

var (
	zipMagic = []byte("PK\x03\x04")
	// OLE compound files hold .xls workbooks, and also .xlsx workbooks
	// once Excel encrypts them with a password.
	oleMagic = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
)

// Read reads the first worksheet of an .xlsx workbook, or a CSV file, from
// r. The content decides the format; filename (the name the officer's
// browser sent, which may be empty) only serves to refuse an .xls before
// reading it as text. More than limit bytes (DefaultLimit if limit <= 0) is
// refused with ErrTooLarge.
func Read(filename string, r io.Reader, limit int64) (*Table, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("the file could not be received: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge("the file", limit)
	}
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(filename, `\`, "/")))
	switch {
	case bytes.HasPrefix(data, oleMagic), ext == ".xls":
		return nil, ErrOldExcel
	case bytes.HasPrefix(data, zipMagic):
		return readXLSX(data)
	}
	return readCSV(data)
}
