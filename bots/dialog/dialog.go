// Package dialog is the conversation, whatever the channel: it parses what
// a farmer or a consumer sends, carries multi-turn questions in Postgres
// through core, calls core's services and answers with channel-neutral
// replies in the person's language.
package dialog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tracegate/core"
)

// PendingTTL is how long a question waits for its answer.
const PendingTTL = 10 * time.Minute

// Dialog answers messages with core's services.
type Dialog struct {
	Services    core.Services
	BaseURL     string    // PUBLIC_BASE_URL: lookup answers link to BaseURL/t/<code>
	DefaultLang core.Lang // for people who never chose one
	Now         func() time.Time
	// Agency are the agency officers told of recalls and of reports of
	// fakes (AGENCY_URNS).
	Agency []core.URN
}

// Message is one inbound message, as a channel hands it over.
type Message struct {
	Channel string
	URN     core.URN
	Text    string
	Ref     string   // the provider's message id, kept on what it causes
	Photos  []string // photo references sent with the text, if any
	// Album is the group of a message whose photos come one a message
	// (a Telegram album): the caption is on one of them, if any.
	Album    string
	Location *core.Location
	// Contact is a phone number the person shared (Telegram), and
	// ContactOwn whether it is their own: it links their account.
	Contact    *core.URN
	ContactOwn bool
	// Attachment names what came that the dialog cannot read: a voice
	// note, a video, a sticker, a file.
	Attachment string
	// Caps are what the channel it came by can do.
	Caps Capabilities
	// Sender, when set, is who wrote, read by the caller with the message
	// (the pipeline reads it as the message arrives): not read again.
	Sender *Sender
}

// Sender is the person behind a message's URN: their contact, and the
// member holding the URN (nil for a consumer).
type Sender struct {
	Contact *core.Contact
	Member  *core.Member
}

// Handle answers one message. An error means nothing was answered and
// the message may be handled again; what the person got wrong is answered,
// never returned as an error.
func (d *Dialog) Handle(ctx context.Context, m Message) (*Result, error) {
	m.Text = core.StorableText(m.Text) // the pipeline did it already; other callers may not
	var album *core.Album
	if m.Album != "" {
		// First, so that the album is held while the rest of this message
		// reads who is writing and what they were asked.
		var err error
		key := core.AlbumKey{URN: m.URN, Group: m.Album}
		if album, err = d.Services.Diary.AddToAlbum(ctx, key, core.AlbumPhoto{MessageRef: m.Ref, Photo: firstOf(m.Photos)}); err != nil {
			return nil, err
		}
	}
	c, err := d.begin(ctx, m)
	if err != nil {
		return nil, err
	}
	c.album = album
	if err := c.handle(ctx); err != nil {
		return nil, fmt.Errorf("dialog with %s: %w", m.URN, err)
	}
	if len(c.warnings) > 0 {
		c.say() // a warning nothing followed still gets said
	}
	return c.result, nil
}

// SlowDown is the one answer to someone sending too fast: in their
// language, asking them to wait; what they send meanwhile is kept,
// unanswered.
func (d *Dialog) SlowDown(ctx context.Context, urn core.URN) (Reply, error) {
	c, err := d.begin(ctx, Message{URN: urn})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Lang: c.lang, Lines: []Line{{Text: T(c.lang, msgSlowDown, nil)}}}, nil
}

// begin finds who is writing and in which language to answer.
func (d *Dialog) begin(ctx context.Context, m Message) (*conv, error) {
	who := m.Sender
	if who == nil {
		var err error
		if who, err = d.sender(ctx, m.URN); err != nil {
			return nil, err
		}
	}
	c := &conv{d: d, msg: m, contact: who.Contact, member: who.Member, result: &Result{}}
	c.lang = d.langOf(who.Contact, who.Member)
	return c, nil
}

func (d *Dialog) sender(ctx context.Context, urn core.URN) (*Sender, error) {
	contact, err := d.Services.Contacts.FindContact(ctx, urn)
	if err != nil {
		return nil, err
	}
	member, err := d.Services.Members.FindMemberByURN(ctx, urn)
	if core.ErrorCodeOf(err) == core.ENOTFOUND {
		member, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &Sender{Contact: contact, Member: member}, nil
}

// langOf is the person's choice, else a member's registered language,
// else the default.
func (d *Dialog) langOf(contact *core.Contact, member *core.Member) core.Lang {
	switch {
	case contact != nil && contact.Lang.Valid():
		return contact.Lang
	case member != nil && member.Lang.Valid():
		return member.Lang
	case d.DefaultLang.Valid():
		return d.DefaultLang
	}
	return core.LangVI
}

func (d *Dialog) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// handle routes the message: a pending question gets its answer unless
// the message is a new command, which always wins.
func (c *conv) handle(ctx context.Context) error {
	if c.msg.Contact != nil {
		c.result.Intent = "link"
		return c.linkAccount(ctx)
	}
	wordless := strings.TrimSpace(c.msg.Text) == ""
	if wordless && c.album != nil && (c.album.Before > 0 || c.album.EntryID != 0) {
		c.result.Intent = "album" // an earlier message of the album speaks for it
		return nil
	}
	if wordless && len(c.msg.Photos) > 0 {
		return c.photosAlone(ctx)
	}
	if wordless && c.msg.Location != nil {
		return c.locationAlone(ctx)
	}
	if wordless && c.msg.Attachment != "" {
		c.result.Intent = "attachment"
		c.say(T(c.lang, msgAttachment, nil))
		return nil
	}
	cmd := Parse(c.msg.Text)
	p, err := decodePending(c.contact.Pending)
	if err != nil || p == nil {
		return c.run(ctx, cmd)
	}
	if strings.TrimSpace(c.msg.Text) == "0" {
		c.result.Intent = "cancel"
		c.say(T(c.lang, msgCancelled, nil))
		return c.clearPending(ctx)
	}
	if cmd.Intent != IntentUnknown && (complete(cmd) || !p.freeText()) && !answers(p, cmd) {
		if err := c.clearPending(ctx); err != nil {
			return err
		}
		return c.run(ctx, cmd)
	}
	c.result.Intent = "answer"
	return c.answer(ctx, p)
}

// answers says whether a message read as a bare code (or six bare
// digits) is the answer to the question instead: a question for a code wants just that, and a
// question for free text takes words that only look like a code (nine
// letters: "tt Rạch Gốc"); a code that reads still starts a lookup.
func answers(p *pending, cmd Command) bool {
	if cmd.Intent == IntentLink && cmd.Keyword == "" {
		return true // six digits answer a question: serials, a count, a menu's value
	}
	if cmd.Intent != IntentLookup || cmd.Keyword != "" {
		return false
	}
	return p.Ask == askCode || p.freeText() && !validCode(cmd.Code)
}

// run carries out a command, asking for what it lacks.
func (c *conv) run(ctx context.Context, cmd Command) error {
	c.result.Intent = cmd.Intent.String()
	if cmd.Intent.memberOnly() && c.member == nil {
		if c.msg.URN.Linkable() {
			c.notLinked()
			return nil
		}
		c.say(T(c.lang, msgNotMember, map[string]any{"Command": strings.ToUpper(cmd.Keyword)}))
		return nil
	}
	if command, ok := commands[cmd.Intent]; ok {
		return command.Run(c, ctx, cmd, nil)
	}
	c.say(T(c.lang, msgUnknown, nil))
	return nil
}

// firstOf is the first reference, or "" for none.
func firstOf(refs []string) string {
	if len(refs) == 0 {
		return ""
	}
	return refs[0]
}
