package dialog

import (
	"context"

	"tracegate/core"
)

const msgLocated msgID = "located"

// locationAlone answers a location sent without a word, as chat apps send
// one: after the words of an entry, or before them. It goes on the diary
// entry being asked about, else on the member's entry of the last
// minutes, else it starts an entry; anyone else is told what the bot
// reads.
func (c *conv) locationAlone(ctx context.Context) error {
	p, err := decodePending(c.contact.Pending)
	if err != nil {
		p = nil
	}
	switch {
	case p != nil && p.Cmd.Intent == IntentDiary:
		c.result.Intent = "answer"
		p.Cmd.Location = c.msg.Location
		if p.Ask == askDetails {
			return c.answer(ctx, p) // the location is all there is to add
		}
		return c.diary(ctx, p.Cmd, p)
	case c.member != nil:
		e, err := c.d.Services.Diary.LocateLastEntry(ctx, c.member, *c.msg.Location)
		switch {
		case err == nil:
			c.result.Intent = "locate"
			c.say(T(c.lang, msgLocated, c.entryData(e)))
			return nil
		case core.ErrorCodeOf(err) == core.EINVALID:
			c.say(T(c.lang, msgEntryRefused, nil))
			return nil
		case core.ErrorCodeOf(err) != core.ENOTFOUND:
			return err
		case p == nil:
			c.result.Intent = IntentDiary.String()
			return c.diary(ctx, Command{Intent: IntentDiary, Location: c.msg.Location}, nil)
		}
	}
	c.result.Intent = "attachment"
	c.say(T(c.lang, msgAttachment, nil))
	return nil
}
