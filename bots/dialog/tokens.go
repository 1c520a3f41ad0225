package dialog

import (
	"strings"
	"unicode"

	"tracegate/core"
)

// token is one word of a message: its folded key for matching and its
// place in the original text, so free text is cut from what was sent.
type token struct {
	key        string // folded, upper case, outer punctuation trimmed
	start, end int    // byte offsets in the original text
}

// tokenize splits text at white space and at commas that are not a
// decimal comma (`L7,BON` but not `2,5`).
func tokenize(text string) []token {
	var toks []token
	start := -1
	flush := func(end int) {
		if start >= 0 {
			if key := keyOf(text[start:end]); key != "" {
				toks = append(toks, token{key: key, start: start, end: end})
			}
			start = -1
		}
	}
	for i, r := range text {
		if unicode.IsSpace(r) || (r == ',' && !decimalComma(text, i)) || r == ';' {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(text))
	return toks
}

// decimalComma reports whether the comma at i sits between two digits.
func decimalComma(text string, i int) bool {
	return i > 0 && i+1 < len(text) && isDigit(text[i-1]) && isDigit(text[i+1])
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// keyOf folds a word for matching: no accents, upper case, without the
// punctuation people put around words (`NK:`, `(L7)`, `/start`).
func keyOf(word string) string {
	key := strings.ToUpper(core.Fold(word))
	if key == "?" {
		return key
	}
	return strings.TrimFunc(key, func(r rune) bool {
		return strings.ContainsRune(`.:;!?()[]"'/`, r)
	})
}

// rest returns the original text from token i to the end, trimmed: free
// text exactly as sent.
func rest(text string, toks []token, i int) string {
	if i >= len(toks) {
		return ""
	}
	return strings.TrimSpace(text[toks[i].start:])
}
