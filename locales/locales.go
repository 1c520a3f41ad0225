// Package locales holds every user-facing message, in Vietnamese (the
// default) and English, as go-i18n TOML files embedded in the binary, and
// the printer every adapter shares: Print looks a message up, Date and
// Quantity write dates and amounts the way a Vietnamese reader expects, in
// the one time zone the system tells and counts days in, Vietnam.
//
// The printer lives here, beside the files, rather than in the dialog or a
// package of its own: the words and the way they are printed change
// together, and the dialog, the web pages and the channels each need them
// without needing one another. It depends on core only for its types.
package locales

import "embed"

// FS holds active.vi.toml and active.en.toml.
//
//go:embed *.toml
var FS embed.FS

// Files are the message files, the default language first.
var Files = []string{"active.vi.toml", "active.en.toml"}
