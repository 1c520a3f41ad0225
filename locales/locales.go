// Package locales holds every user-facing message, in Vietnamese (the
// default) and English, as go-i18n TOML files embedded in the binary.
package locales

import "embed"

// FS holds active.vi.toml and active.en.toml.
//
//go:embed *.toml
var FS embed.FS

// Files are the message files, the default language first.
var Files = []string{"active.vi.toml", "active.en.toml"}
