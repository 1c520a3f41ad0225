package core

import (
	"strings"
	"unicode/utf8"
)

// cleanText trims s and checks its length in characters; field names the
// value in the error.
func cleanText(field, s string, minLen, maxLen int) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", Errorf(EINVALID, "%s is not valid UTF-8", field)
	}
	n := utf8.RuneCountInString(s)
	if n < minLen {
		if minLen == 1 {
			return "", Errorf(EINVALID, "%s is required", field)
		}
		return "", Errorf(EINVALID, "%s needs at least %d characters", field, minLen)
	}
	if n > maxLen {
		return "", Errorf(EINVALID, "%s is longer than %d characters", field, maxLen)
	}
	return s, nil
}
