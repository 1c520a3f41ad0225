package dialog

import (
	"context"
	"errors"
	"strconv"

	"tracegate/core"
)

// conv is one message being answered: who sent it and what we say.
type conv struct {
	d       *Dialog
	msg     Message
	contact *core.Contact
	member  *core.Member
	lang    core.Lang
	result  *Result
	album   *core.Album // what the message's album had before it, if it is of one
	// warnings go at the top of the next reply: what was wrong and the
	// question asked again travel as one SMS.
	warnings []string
}

// warn says what was wrong, in the same SMS as what follows.
func (c *conv) warn(text string) { c.warnings = append(c.warnings, text) }

// say answers with lines that are never dropped.
func (c *conv) say(lines ...string) {
	r := Reply{Lang: c.lang}
	for _, l := range lines {
		r.Lines = append(r.Lines, Line{Text: l})
	}
	c.send(r)
}

func (c *conv) send(r Reply) {
	if len(c.warnings) > 0 {
		lines := make([]Line, 0, len(c.warnings)+len(r.Lines))
		for _, w := range c.warnings {
			lines = append(lines, Line{Text: w})
		}
		r.Lines, c.warnings = append(lines, r.Lines...), nil
	}
	c.result.Replies = append(c.result.Replies, r)
}

// refused says why core refused, when it gave a reason a command words.
func (c *conv) refused(err error) bool {
	var e *core.Error
	if !errors.As(err, &e) || refusals[e.Reason] == "" {
		return false
	}
	c.say(T(c.lang, refusals[e.Reason], e.Data))
	return true
}

// ask puts a question, remembers what it waits for, and shows the menu.
func (c *conv) ask(ctx context.Context, p *pending, question string, menu []Choice) error {
	p.Choices = p.Choices[:0]
	for _, ch := range menu {
		p.Choices = append(p.Choices, ch.Value)
	}
	r := Reply{Lang: c.lang, Lines: []Line{{Text: question}}, Menu: menu}
	if len(menu) > 0 {
		r.Menu = append(r.Menu, Choice{Value: "0", Label: T(c.lang, msgCancelChoice, nil)})
	} else {
		r.Lines = append(r.Lines, Line{Text: T(c.lang, msgCancelHint, nil)})
	}
	c.send(r)
	return c.savePending(ctx, p)
}

func (c *conv) savePending(ctx context.Context, p *pending) error {
	raw, err := p.encode()
	if err != nil {
		return err
	}
	return c.d.Services.Contacts.SetPending(ctx, c.msg.URN, raw, c.d.now().Add(PendingTTL))
}

func (c *conv) clearPending(ctx context.Context) error {
	return c.d.Services.Contacts.SetPending(ctx, c.msg.URN, nil, c.d.now())
}

// notifyMembers queues a notice to every member of a facility, at the URN
// each registered first, in their language.
func (c *conv) notifyMembers(ctx context.Context, facilityID int64, lines func(core.Lang) []string) error {
	members, err := c.d.Services.Members.FindMembers(ctx, facilityID)
	if err != nil {
		return err
	}
	for _, m := range members {
		if len(m.URNs) == 0 {
			continue
		}
		if err := c.notify(ctx, m.URNs[0], m.Lang, lines); err != nil {
			return err
		}
	}
	return nil
}

// notify queues a notice to urn in that person's language.
func (c *conv) notify(ctx context.Context, urn core.URN, fallback core.Lang, lines func(core.Lang) []string) error {
	lang, err := c.d.langFor(ctx, urn, fallback)
	if err != nil {
		return err
	}
	r := Reply{Lang: lang}
	for _, l := range lines(lang) {
		r.Lines = append(r.Lines, Line{Text: l})
	}
	c.result.Notices = append(c.result.Notices, Notice{To: urn, Reply: r})
	return nil
}

// link is the provenance page of a code.
func (c *conv) link(code core.Code) string { return c.d.BaseURL + "/t/" + string(code) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
