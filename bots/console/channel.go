package console

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

// Channel is the terminal as a channel: replies render as SMS under the
// accent policy, and sending prints them.
type Channel struct {
	Policy smstext.Policy // SMS_ACCENTS
	Out    io.Writer
	Self   core.URN // who types; messages to anyone else print as notices

	mu      sync.Mutex
	sent    int
	session int64 // keeps provider ids unique across chat sessions
}

var (
	_ channel.Channel = (*Channel)(nil)
	_ channel.Capable = (*Channel)(nil)
	_ channel.Reacher = (*Channel)(nil)
)

// Name is the channel stored on messages and lookups.
func (c *Channel) Name() string { return "console" }

// Capabilities are an SMS phone's: the terminal shows what SMS rules give.
func (c *Channel) Capabilities() dialog.Capabilities {
	return dialog.Capabilities{MaxText: channel.SMSMaxText}
}

// Reach is everyone: notices to any phone or chat print here, since the
// terminal plays them all.
func (c *Channel) Reach() channel.Reach { return channel.Reach{Any: true} }

// size is what the terminal shows of an SMS beside its text.
type size struct {
	Encoding string `json:"encoding"`
	Units    int    `json:"units"`
}

// Render sizes a reply as the SMS it would be.
func (c *Channel) Render(r dialog.Reply) channel.Outgoing {
	f := dialog.RenderSMS(r, c.Policy, dialog.SMSBudget)
	meta, _ := json.Marshal(size{f.Segments.Encoding.String(), f.Segments.Units})
	return channel.Outgoing{Text: f.Text, Segments: f.Segments.Parts, Meta: meta}
}

// Send prints a message: a reply under the prompt, a notice with whom it
// is for.
func (c *Channel) Send(_ context.Context, to core.URN, out channel.Outgoing) (string, error) {
	var sz size
	_ = json.Unmarshal(out.Meta, &sz)
	c.mu.Lock()
	defer c.mu.Unlock()
	indent := "  "
	if to != c.Self {
		fmt.Fprintf(c.Out, "  -> notice to %s\n", to)
		indent = "     "
	}
	for _, l := range strings.Split(out.Text, "\n") {
		fmt.Fprintln(c.Out, indent+l)
	}
	fmt.Fprintf(c.Out, "%s[%d SMS, %s, %d units]\n", indent, out.Segments, sz.Encoding, sz.Units)
	c.sent++
	if c.session == 0 {
		c.session = time.Now().UnixNano()
	}
	return fmt.Sprintf("console-%d-out-%d", c.session, c.sent), nil
}

// Concurrency: one person reads the terminal, in the order written.
func (c *Channel) Concurrency() int { return 1 }

// Rates: a terminal takes any rate.
func (c *Channel) Pace() core.Pace { return core.Pace{} }
