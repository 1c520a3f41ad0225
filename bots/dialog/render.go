package dialog

import (
	"strconv"
	"strings"

	"tracegate/bots/dialog/smstext"
)

// SMSBudget is the most parts an SMS reply may take: a lookup answer with
// its link fits in three, and a farmer's phone bill should not pay more.
const SMSBudget = 3

// menuLabelRunes keeps a menu line to one line of a basic phone's screen.
const menuLabelRunes = 28

// RenderSMS renders a reply for SMS: the menu as numbered lines, the link
// last, sized to the budget under the accent policy.
func RenderSMS(r Reply, policy smstext.Policy, budget int) smstext.Fitted {
	return smstext.Fit(r.textLines(menuLabelRunes), policy, budget)
}

// Text renders a reply as plain lines, whole: for terminals and logs.
func (r Reply) Text() string {
	var b strings.Builder
	for i, l := range r.textLines(0) {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.Text)
	}
	return b.String()
}

// textLines lays the reply out as lines: text, numbered menu (cancel as 0),
// link. labelRunes > 0 cuts menu labels to that many characters.
func (r Reply) textLines(labelRunes int) []smstext.Line {
	lines := make([]smstext.Line, 0, len(r.Lines)+len(r.Menu)+1)
	for _, l := range r.Lines {
		lines = append(lines, smstext.Line{Text: l.Text, Drop: l.Drop})
	}
	for i, ch := range r.Menu {
		number := strconv.Itoa(i + 1)
		if ch.Value == "0" {
			number = "0"
		}
		lines = append(lines, smstext.Line{Text: number + " " + cut(ch.Label, labelRunes)})
	}
	if r.Link != "" {
		lines = append(lines, smstext.Line{Text: r.Link})
	}
	return lines
}

func cut(s string, runes int) string {
	r := []rune(s)
	if runes <= 0 || len(r) <= runes {
		return s
	}
	return string(r[:runes-1]) + "…"
}
