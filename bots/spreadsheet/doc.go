// Package spreadsheet reads and writes the tables agencies keep in Excel:
// .xlsx workbooks and .csv (or tab-separated) text. It knows nothing about
// what the columns mean; callers map Header names to their own fields.
//
// Reading gives a Table whose cells are trimmed, NFC-normalised strings, so
// Vietnamese typed on a keyboard that decomposes accents compares equal to
// the same word typed elsewhere. Rows stay addressable the way the officer
// sees them in Excel: Table.RowNumber(i) counts the header and every blank
// row the reader skipped, so "row 7" in an error message is row 7 on screen.
//
// Decisions a caller should know:
//
//   - The header is the first row with any non-empty cell; its trailing empty
//     cells are dropped, empty cells between named columns are kept as "".
//     Every row of Rows has exactly len(Header) cells.
//   - Rows whose cells under the header are all empty are skipped (but still
//     counted by RowNumber). Non-empty cells right of the header's last
//     column are not in Rows; they are listed in Table.Extra so a preview
//     can say "H9 is outside the table" rather than lose them silently.
//   - A single leading apostrophe is removed from every cell. It is how
//     WriteCSV guards against formula injection, and how officers habitually
//     mark a number as text, so a value exported by WriteCSV reads back as
//     it was.
//   - Line breaks inside a cell come back as "\n", whatever the file used.
//   - .xlsx numbers come back as Go writes them ("912345678", "1.5"), not as
//     Excel displays them in a vi-VN locale ("1,5"); dates come back as
//     dd/mm/yyyy. CSV cells are the text the file holds.
//   - Of a workbook, the first visible worksheet in the order of its tabs is
//     read; hidden sheets (often lookup lists) and the others are not.
//   - CSV may be UTF-8 (with or without a BOM), UTF-16 with a BOM, or, when
//     it is not UTF-8, Windows-1258, which Excel's plain "CSV" uses on a
//     Vietnamese Windows. The delimiter, "," ";" or tab, is the one the
//     first non-empty line uses most, unless a first line "sep=X" says.
//   - Besides the caller's byte limit, Read refuses a workbook that unzips
//     to more than 128 MB and a table of more than 2 million cells (padding
//     included), so a small file cannot make a huge table.
//   - .xls (the binary format before 2007), password-protected workbooks
//     (which share its container) and .ods are refused with a message that
//     says to save the file as .xlsx or .csv.
//
// Writing never evaluates to anything: WriteXLSX stores every cell as text
// (phone numbers keep their "+84" and GTINs their leading zero) and
// WriteCSV prefixes "'" to cells Excel would take for a formula.
package spreadsheet
