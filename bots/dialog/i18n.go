package dialog

import (
	"tracegate/core"
	"tracegate/locales"
)

// msgID names a message in locales/. Every message the dialog sends is a
// msgID constant, so a test can check each against both languages.
type msgID string

// T renders a message in lang with data; count picks the plural form when
// the message has one. The printer is the one in locales, shared with the
// web pages: a missing message prints as its id.
func T(lang core.Lang, id msgID, data map[string]any, count ...int) string {
	return locales.Print(lang, string(id), data, count...)
}
