package core

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// StorableText is text as it can be stored and compared: valid UTF-8
// (a byte that is not becomes U+FFFD), no NUL (Postgres refuses it), and
// composed (NFC): a decomposed Vietnamese letter takes up to three UTF-16
// units of an SMS and matches nothing.
func StorableText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	return norm.NFC.String(s)
}

// maxProviderID is the longest provider message id kept; Twilio's SIDs
// are 34 characters, Telegram's update ids a few digits.
const maxProviderID = 200

// CheckProviderID refuses a provider message id that cannot be stored or
// compared: empty, too long, not UTF-8, or holding control characters.
func CheckProviderID(id string) error {
	switch {
	case id == "":
		return Errorf(EINVALID, "the message has no provider id")
	case len(id) > maxProviderID:
		return Errorf(EINVALID, "a provider id of %d bytes is longer than %d", len(id), maxProviderID)
	case !utf8.ValidString(id) || strings.IndexFunc(id, unicode.IsControl) >= 0:
		return Errorf(EINVALID, "the provider id %q is not printable text", id)
	}
	return nil
}
