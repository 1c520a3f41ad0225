package dialog

import (
	"context"
	"slices"

	"tracegate/core"
)

// photosAlone answers photos sent without a word: they go on the diary
// entry being asked about, or start one for a member; anyone else is told
// what the bot reads.
func (c *conv) photosAlone(ctx context.Context) error {
	p, err := decodePending(c.contact.Pending)
	if err != nil {
		p = nil
	}
	switch {
	case p != nil && p.Cmd.Intent == IntentDiary:
		c.result.Intent = "answer"
		c.keepPhotos(&p.Cmd)
		if p.Ask == askDetails {
			return c.answer(ctx, p) // the photo is all there is to add
		}
		return c.diary(ctx, p.Cmd, p) // the same question again, the photo kept
	case p == nil && c.member != nil:
		c.result.Intent = IntentDiary.String()
		return c.diary(ctx, Command{Intent: IntentDiary}, nil)
	}
	c.result.Intent = "attachment"
	c.say(T(c.lang, msgAttachment, nil))
	return nil
}

// keepPhotos puts the message's photos on the diary command it records or
// answers; a message of an album brings its album, which brings them all.
// Kept photos are never kept twice.
func (c *conv) keepPhotos(cmd *Command) {
	switch {
	case c.msg.Album != "" && cmd.Album == "":
		cmd.Album = c.msg.Album
		return
	case c.msg.Album != "" && cmd.Album == c.msg.Album:
		return
	}
	for _, ref := range c.msg.Photos {
		if len(cmd.Photos) < core.MaxPhotos && !slices.Contains(cmd.Photos, ref) {
			cmd.Photos = append(cmd.Photos, ref)
		}
	}
}
