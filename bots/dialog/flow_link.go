package dialog

import (
	"context"
	"errors"
	"time"

	"tracegate/core"
	"tracegate/locales"
)

// IntentLink links a chat account to a member: LIENKET by SMS from the
// member's registered phone gives a one-time code, and the code sent
// from Zalo or Telegram (alone, or after LIENKET) links that account.
const IntentLink Intent = "link"

const (
	msgHelpLink       msgID = "help_link"
	msgLinkCode       msgID = "link_code"
	msgLinkBySMS      msgID = "link_by_sms"
	msgLinkAlready    msgID = "link_already"
	msgLinkInApp      msgID = "link_in_app"
	msgLinkCodeWrong  msgID = "link_code_wrong"
	msgLinkCodeLate   msgID = "link_code_expired"
	msgLinkLocked     msgID = "link_locked"
	msgNotLinkedByApp msgID = "not_linked_app"
	msgLinkNotMember  msgID = "link_not_member"
)

func init() {
	register(command{Intent: IntentLink, Words: []string{"LIENKET", "LINK"},
		Parse: func(cmd *Command, _ string, toks []token, n int) {
			if len(toks) > n {
				cmd.Text = toks[n].key
			}
		},
		// Six digits alone are a code only when no question waits for an
		// answer: 100000 may be the shrimp fry a MUA asked the count of.
		Complete: func(cmd Command) bool { return cmd.Keyword != "" },
		Run:      (*conv).linkChat, Help: msgHelpLink, Group: helpMember, Rank: 90})
}

// linkChat gives a member on their phone a code, and links the chat account
// the code comes back from.
func (c *conv) linkChat(ctx context.Context, cmd Command, _ *pending) error {
	urn := c.msg.URN
	switch {
	case urn.Scheme() == "tel" && cmd.Keyword == "":
		// Six digits by SMS are what they were before linking: a stamp
		// code mistyped.
		return c.run(ctx, Command{Intent: IntentLookup, Code: cmd.Text})
	case urn.Scheme() == "tel" && c.member == nil:
		c.say(T(c.lang, msgLinkNotMember, nil))
	case urn.Scheme() == "tel" && cmd.Text != "":
		c.say(T(c.lang, msgLinkInApp, nil)) // the code belongs in the app, not back in an SMS
	case urn.Scheme() == "tel":
		code, err := c.d.Services.Members.IssueLinkCode(ctx, c.member.ID)
		if err != nil {
			return err
		}
		c.say(T(c.lang, msgLinkCode, map[string]any{"Code": code.Code}))
	case !urn.Linkable():
		c.say(T(c.lang, msgUnknown, nil))
	case c.member != nil && cmd.Text == "":
		c.say(T(c.lang, msgLinkAlready, map[string]any{"App": urn.App(), "Name": c.member.Name}))
	case cmd.Text == "":
		c.say(T(c.lang, msgLinkBySMS, map[string]any{"App": urn.App()}))
	default:
		return c.redeem(ctx, cmd.Text)
	}
	return nil
}

// redeem links the account a code came from, or says why it did not.
func (c *conv) redeem(ctx context.Context, code string) error {
	m, err := c.d.Services.Members.LinkByCode(ctx, c.msg.URN, code)
	var refusal *core.Error
	if errors.As(err, &refusal) && refusal.Reason != "" {
		c.result.Intent = "link_refused"
		data := map[string]any{"App": c.msg.URN.App(), "Code": code, "Left": refusal.Data["Left"]}
		if until, ok := refusal.Data["Until"].(time.Time); ok {
			data["Until"] = locales.Clock(until)
		}
		c.say(T(c.lang, linkRefusals[refusal.Reason], data))
		return nil
	}
	if err != nil {
		return err
	}
	c.linked(m)
	return nil
}

var linkRefusals = map[string]msgID{
	core.ReasonLinkCodeWrong: msgLinkCodeWrong, core.ReasonLinkCodeExpired: msgLinkCodeLate,
	core.ReasonLinkLocked: msgLinkLocked, core.ReasonLinkTaken: msgContactTaken,
}

// linked greets a member on the account just linked, with their commands.
func (c *conv) linked(m *core.Member) {
	c.member, c.lang = m, c.d.langOf(c.contact, m)
	c.say(T(c.lang, msgLinked, map[string]any{"Name": m.Name, "App": c.msg.URN.App()}),
		T(c.lang, msgHelpCommands, map[string]any{"Commands": names(helpMember)}))
}

// notLinked answers a member's command from a chat account no member
// holds: Telegram offers its share-contact button, any app the code.
func (c *conv) notLinked() {
	if c.msg.Caps.ShareContact {
		c.send(Reply{Lang: c.lang, Lines: []Line{{Text: T(c.lang, msgNotLinked, nil)}}, AskContact: true})
		return
	}
	c.say(T(c.lang, msgNotLinkedByApp, map[string]any{"App": c.msg.URN.App()}))
}

// linkAccount ties the account a message came from to the member registered
// with the phone number shared: only the person's own number counts, or
// anyone could claim a farmer's facility by sharing their contact.
func (c *conv) linkAccount(ctx context.Context) error {
	if !c.msg.ContactOwn {
		c.say(T(c.lang, msgContactNotOwn, nil))
		return nil
	}
	m, err := c.d.Services.Members.FindMemberByURN(ctx, *c.msg.Contact)
	if core.ErrorCodeOf(err) == core.ENOTFOUND {
		c.say(T(c.lang, msgContactUnknown, map[string]any{"Phone": c.msg.Contact.Path()}))
		return nil
	}
	if err != nil {
		return err
	}
	err = c.d.Services.Members.AddURN(ctx, m.ID, c.msg.URN)
	if core.ErrorCodeOf(err) == core.ECONFLICT {
		c.say(T(c.lang, msgContactTaken, map[string]any{"App": c.msg.URN.App()}))
		return nil
	}
	if err != nil {
		return err
	}
	c.linked(m)
	return nil
}
