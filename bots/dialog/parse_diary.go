package dialog

import (
	"regexp"
	"strings"

	"tracegate/core"
)

// parseDiary reads `NK <lot> <step> [qty unit] [note]`. The lot and step
// may come in either order or not at all; the quantity may stand anywhere
// in the note (`NK L7 BON NPK 20kg`).
func parseDiary(cmd *Command, text string, toks []token, n int) {
	var args []token
	cmd.Lot, args = takeLot(toks[n:])
	i := 0
	if step, k := matchStep(args[i:]); k > 0 {
		cmd.Step, i = step, i+k
		if cmd.Lot == "" && i < len(args) && lotPattern.MatchString(args[i].key) {
			cmd.Lot, i = args[i].key, i+1
		}
	}
	cmd.Quantity, cmd.QuantityText, cmd.Note = quantityAndNote(text, args[i:])
}

// takeLot takes a lot code (`L7`, or a bare number) at the start of args.
func takeLot(args []token) (lot string, rest []token) {
	if len(args) > 0 && (lotPattern.MatchString(args[0].key) || digitsPattern.MatchString(args[0].key)) {
		return args[0].key, args[1:]
	}
	return "", args
}

// matchStep finds a step keyword at the start: one word or two joined
// (`ĐÓNG GÓI`).
func matchStep(args []token) (core.Step, int) {
	if len(args) > 1 {
		if step, ok := stepByKeyword(args[0].key + args[1].key); ok {
			return step, 2
		}
	}
	if len(args) > 0 {
		if step, ok := stepByKeyword(args[0].key); ok {
			return step, 1
		}
	}
	return "", 0
}

var (
	// A sign is read so that `-5kg` is refused as a quantity rather than
	// kept as a note.
	numberPattern  = regexp.MustCompile(`^[-+]?[0-9]+(?:[.,][0-9]+)?$`)
	numberWithUnit = regexp.MustCompile(`^([-+]?[0-9]+(?:[.,][0-9]+)?)([A-Z][A-Z0-9]*)$`)
	unitKeys       = unitSet()
)

func unitSet() map[string]core.Unit {
	m := map[string]core.Unit{}
	for _, u := range core.Units {
		m[strings.ToUpper(string(u))] = u
	}
	return m
}

// quantityAndNote takes the first quantity out of args (`20kg`, `2,5
// tan`) and returns the rest as the note, as sent. A quantity that reads
// as one but is not valid comes back as bad, to be answered.
func quantityAndNote(text string, args []token) (q *core.Quantity, bad string, note string) {
	for j, t := range args {
		value, unit, width := "", "", 0
		if m := numberWithUnit.FindStringSubmatch(t.key); m != nil && unitKeys[m[2]] != "" {
			value, unit, width = m[1], m[2], 1
		} else if numberPattern.MatchString(t.key) && j+1 < len(args) && unitKeys[args[j+1].key] != "" {
			value, unit, width = t.key, args[j+1].key, 2
		}
		if width == 0 {
			continue
		}
		parsed, err := core.ParseQuantity(value, unit)
		qtyText := text[t.start:args[j+width-1].end]
		if err != nil {
			bad = qtyText
		} else {
			q = &parsed
		}
		return q, bad, joinNote(text, args[:j], args[j+width:])
	}
	return nil, "", joinNote(text, args, nil)
}

// joinNote is the original text of the words around the quantity.
func joinNote(text string, before, after []token) string {
	var parts []string
	for _, span := range [][]token{before, after} {
		if len(span) > 0 {
			parts = append(parts, strings.TrimSpace(text[span[0].start:span[len(span)-1].end]))
		}
	}
	return strings.Join(parts, " ")
}
