package kanneltest

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxLine is the longest line fakesmsc takes whole: it reads stdin with
// fgets into 256 bytes, so 255 with the newline; a longer line would be
// cut into two messages.
const maxLine = 254

// Inject makes fakesmsc deliver an SMS from `from` to `to`, as a phone on
// the network would: a text in the GSM alphabet as 7-bit text, any other
// (Vietnamese, or with a line break, which fakesmsc's line protocol can
// only carry encoded) as UCS-2. It returns once fakesmsc has passed the
// SMS to bearerbox; the get-url is called a moment later.
//
// fakesmsc's 255-byte input line limits a UCS-2 text to about 45
// characters (each UTF-16 byte is URL-encoded), a 7-bit one to about 230.
func (k *Kannel) Inject(from, to, text string) error {
	line, err := moLine(from, to, text)
	if err != nil {
		return err
	}
	return k.InjectLine(line)
}

// InjectLine hands fakesmsc one line of its own format, for what Inject
// does not build: "sender receiver type [udh|route|dlr-mask] data", where
// type is text (the rest of the line, 7-bit), data (URL-encoded 8-bit),
// ucs2 (URL-encoded UTF-16BE), udh-data, udh-text, route or dlr-mask.
func (k *Kannel) InjectLine(line string) error {
	return k.phone.send(line, injectTimeout)
}

// moLine builds the fakesmsc line for one SMS from a phone.
func moLine(from, to, text string) (string, error) {
	for _, n := range []string{from, to} {
		if n == "" || strings.ContainsAny(n, " \t\r\n") {
			return "", fmt.Errorf("kanneltest: phone number %q is empty or has blanks", n)
		}
	}
	if !utf8.ValidString(text) {
		return "", fmt.Errorf("kanneltest: text %q is not UTF-8", text)
	}
	var line string
	if isGSM(text) && !strings.ContainsAny(text, "\r\n\f") {
		// Kannel keeps 7-bit text as UTF-8 inside, so it goes as it is.
		line = from + " " + to + " text " + text
	} else {
		line = from + " " + to + " ucs2 " + urlEncodeUCS2(text)
	}
	if len(line) > maxLine {
		return "", fmt.Errorf("kanneltest: text %q makes a %d-byte fakesmsc line, over its %d-byte limit", text, len(line), maxLine)
	}
	return line, nil
}

// urlEncodeUCS2 gives text's UTF-16BE bytes, %XX-encoded but for letters
// and digits: fakesmsc's ucs2 type URL-decodes, where '+' is a space.
func urlEncodeUCS2(text string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(text)) {
		for _, c := range []byte{byte(u >> 8), byte(u)} {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
	}
	return b.String()
}
