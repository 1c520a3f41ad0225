package dialog

import (
	"regexp"
	"strconv"
	"strings"

	"tracegate/core"
)

// Parse reads a message into a command: keywords in either language,
// with or without accents, in any case; free text kept as sent. A message
// that is only a code is a lookup.
func Parse(text string) Command {
	toks := tokenize(text)
	if len(toks) == 0 {
		return Command{}
	}
	intent, n := matchKeyword(toks)
	if intent == IntentUnknown {
		if code := strings.TrimSpace(text); core.IsLinkCode(code) {
			return Command{Intent: IntentLink, Text: code}
		}
		if code, pin, ok := splitPIN(text); ok {
			return Command{Intent: IntentLookup, Code: code, PIN: pin}
		}
		if looksLikeCode(text) {
			return Command{Intent: IntentLookup, Code: strings.TrimSpace(text)}
		}
		return Command{}
	}
	cmd := Command{Intent: intent, Keyword: text[toks[0].start:toks[n-1].end]}
	if parse := commands[intent].Parse; parse != nil {
		parse(&cmd, text, toks, n)
	}
	return cmd
}

// matchKeyword finds the command word at the start: two words joined
// (`NHAT KY`) before one (`NK`). It returns how many tokens it took.
func matchKeyword(toks []token) (Intent, int) {
	if len(toks) > 1 {
		if intent, ok := keywords[joinKeys(toks[:2])]; ok {
			return intent, 2
		}
	}
	if intent, ok := keywords[strings.TrimPrefix(toks[0].key, "/")]; ok {
		return intent, 1
	}
	return IntentUnknown, 1
}

func joinKeys(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(strings.TrimPrefix(t.key, "/"))
	}
	return b.String()
}

// codeSymbols is what a code may be made of as typed: Crockford's
// alphabet plus the letters it reads as digits.
var codeSymbols = regexp.MustCompile(`^[0-9A-Z]+$`)

// looksLikeCode decides that a message with no command word is a code:
// nine symbols of the alphabet, or a near miss with a digit in it (a
// symbol forgotten or doubled), which the lookup answers as mistyped.
func looksLikeCode(text string) bool {
	s := strings.ToUpper(core.Fold(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(text)))
	if !codeSymbols.MatchString(s) {
		return false
	}
	if len(s) == 9 {
		return !strings.ContainsRune(s, 'U')
	}
	return len(s) >= 6 && len(s) <= 12 && strings.ContainsAny(s, "0123456789")
}

// splitPIN reads `<code> <pin>`: a code (spaces and all) and six digits
// after it, the PIN scratched off the stamp.
func splitPIN(text string) (code, pin string, ok bool) {
	fields := strings.Fields(text)
	if len(fields) < 2 || !core.PINShaped(fields[len(fields)-1]) {
		return "", "", false
	}
	code = strings.Join(fields[:len(fields)-1], " ")
	if !looksLikeCode(code) {
		return "", "", false
	}
	return code, fields[len(fields)-1], true
}

// takeCode takes the code at the start of args: one word, or words typed
// with spaces (`4K7M 2QX9 5`) that add up to nine symbols.
func takeCode(args []token) (string, int) {
	if len(args) == 0 {
		return "", 0
	}
	length := 0
	for i, t := range args {
		key := strings.ReplaceAll(t.key, "-", "")
		if !codeSymbols.MatchString(key) {
			break
		}
		length += len(key)
		if length == 9 {
			return spanText(args[:i+1]), i + 1
		}
		if length > 9 {
			break
		}
	}
	return spanText(args[:1]), 1
}

// spanText is the keys of consecutive tokens joined by spaces.
func spanText(toks []token) string {
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = t.key
	}
	return strings.Join(keys, " ")
}

var lotPattern = regexp.MustCompile(`^L[1-9][0-9]*$`)
var digitsPattern = regexp.MustCompile(`^[1-9][0-9]*$`)

// parseActivate reads `KH <lot> <range>`, where the lot may be left out.
func parseActivate(cmd *Command, text string, toks []token, n int) {
	args := toks[n:]
	switch {
	case len(args) == 0:
		return
	case lotPattern.MatchString(args[0].key):
		cmd.Lot = args[0].key
		n++
	case len(args) > 1 && digitsPattern.MatchString(args[0].key):
		// `KH 7 1201-1500`: a bare number before a range is the lot.
		cmd.Lot = args[0].key
		n++
	}
	setRange(cmd, rest(text, toks, n))
}

var rangePattern = regexp.MustCompile(`^([0-9]{1,12})(?:(?:-|DEN|TO)([0-9]{1,12}))?$`)

// setRange reads `1201-1500`, `1201 - 1500`, `1201 đến 1500` or `1203`.
func setRange(cmd *Command, s string) {
	if s == "" {
		return
	}
	key := strings.ToUpper(core.Fold(s))
	key = strings.NewReplacer("–", "-", "—", "-", " ", "", ".", "", "\t", "").Replace(key)
	m := rangePattern.FindStringSubmatch(key)
	if m == nil {
		cmd.RangeText = s
		return
	}
	from, _ := strconv.ParseInt(m[1], 10, 64)
	to := from
	if m[2] != "" {
		to, _ = strconv.ParseInt(m[2], 10, 64)
	}
	cmd.Range = &core.SerialRange{From: from, To: to}
}
