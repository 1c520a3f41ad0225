// Package console is the terminal channel behind `tracegate chat`: one
// message a line, each going through the same pipeline as SMS, and each
// reply printed as the SMS it would be, with its size, so a person can try
// every flow without a phone.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"tracegate/bots/channel"
	"tracegate/core"
)

// Console writes to the pipeline as one URN and waits for the answers.
type Console struct {
	Pipeline *channel.Pipeline
	Channel  *Channel
	URN      core.URN
	In       io.Reader
	// Echo prints each message after the prompt, for input that is not
	// typed at a terminal (a pipe, a file), so the output reads as a
	// conversation.
	Echo bool
}

// drainWait bounds the wait for a message's answers before the next line.
const drainWait = 30 * time.Second

// Run answers lines from In until it ends or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	lines := bufio.NewScanner(c.In)
	lines.Buffer(make([]byte, 64<<10), 64<<10)
	session := time.Now().UnixNano()
	out := c.Channel.Out
	for n := 1; ; n++ {
		fmt.Fprint(out, "> ")
		if !lines.Scan() || ctx.Err() != nil {
			return lines.Err()
		}
		text := strings.TrimRight(lines.Text(), "\r")
		if c.Echo {
			fmt.Fprintln(out, text)
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		in := channel.Inbound{URN: c.URN, Text: text, ProviderID: fmt.Sprintf("console-%d-%d", session, n), ReceivedAt: time.Now()}
		if err := c.Pipeline.Receive(ctx, c.Channel, in); err != nil {
			return err
		}
		if err := c.waitForAnswers(ctx); err != nil {
			return err
		}
	}
}

// waitForAnswers waits until the pipeline has sent what the message
// caused, so answers print before the next prompt.
func (c *Console) waitForAnswers(ctx context.Context) error {
	deadline := time.Now().Add(drainWait)
	for time.Now().Before(deadline) {
		drained, err := c.Pipeline.Drained(ctx)
		if err != nil || drained {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Fprintln(c.Channel.Out, "  (still sending; answers will print when they go)")
	return nil
}
