// Package console is the terminal channel behind `tracegate chat`: one
// message a line, each reply printed as the SMS it would be, with its size,
// so a person can try every flow without a phone.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

// Console talks to the dialog as one URN.
type Console struct {
	Dialog *dialog.Dialog
	URN    core.URN
	Policy smstext.Policy // SMS_ACCENTS
	In     io.Reader
	Out    io.Writer
	// Echo prints each message after the prompt, for input that is not
	// typed at a terminal (a pipe, a file), so the output reads as a
	// conversation.
	Echo bool
}

// Run answers lines from In until it ends or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	lines := bufio.NewScanner(c.In)
	lines.Buffer(make([]byte, 64<<10), 64<<10)
	n := 0
	for c.prompt(); lines.Scan(); c.prompt() {
		if ctx.Err() != nil {
			return nil
		}
		text := strings.TrimRight(lines.Text(), "\r")
		if c.Echo {
			fmt.Fprintln(c.Out, text)
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		n++
		res, err := c.Dialog.Handle(ctx, dialog.Message{Channel: core.ChannelConsole, URN: c.URN, Text: text,
			Ref: fmt.Sprintf("console-%d", n)})
		if err != nil {
			c.print("  ", dialog.SorryReply(core.LangVI))
			return fmt.Errorf("message %q: %w", text, err)
		}
		for _, r := range res.Replies {
			c.print("  ", r)
		}
		for _, notice := range res.Notices {
			fmt.Fprintf(c.Out, "  -> notice to %s\n", notice.To)
			c.print("     ", notice.Reply)
		}
	}
	return lines.Err()
}

func (c *Console) prompt() { fmt.Fprint(c.Out, "> ") }

// print shows a reply as the phone would get it, then its size.
func (c *Console) print(indent string, r dialog.Reply) {
	fitted := dialog.RenderSMS(r, c.Policy, dialog.SMSBudget)
	for _, l := range strings.Split(fitted.Text, "\n") {
		fmt.Fprintln(c.Out, indent+l)
	}
	s := fitted.Segments
	fmt.Fprintf(c.Out, "%s[%d SMS, %s, %d units]\n", indent, s.Parts, s.Encoding, s.Units)
}
