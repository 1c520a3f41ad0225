package dialog

import (
	"context"
	"strconv"
	"strings"

	"tracegate/core"
)

// Feedback from anyone, and a member's answer to it.
const (
	IntentFeedback Intent = "feedback" // GY <code> <text>
	IntentReply    Intent = "reply"    // TL <feedback id> <text>
)

const (
	msgHelpFeedback msgID = "help_feedback"
	msgHelpReply    msgID = "help_reply"
)

func init() {
	register(command{Intent: IntentFeedback, Words: []string{"GY", "GOPY", "FEEDBACK"},
		Parse: func(cmd *Command, text string, toks []token, n int) {
			code, k := takeCode(toks[n:])
			cmd.Code, cmd.Text = code, rest(text, toks, n+k)
		},
		Complete: func(cmd Command) bool { return cmd.Code != "" && cmd.Text != "" },
		Run:      (*conv).feedback, Help: msgHelpFeedback, Group: helpAnyone, Rank: 90})
	register(command{Intent: IntentReply, Words: []string{"TL", "TRALOI", "REPLY"}, Member: true,
		Parse: func(cmd *Command, text string, toks []token, n int) {
			if len(toks) > n {
				if id, err := strconv.ParseInt(strings.TrimPrefix(toks[n].key, "#"), 10, 64); err == nil && id > 0 {
					cmd.FeedbackID, cmd.Text = id, rest(text, toks, n+1)
				}
			}
		},
		Complete: func(cmd Command) bool { return cmd.FeedbackID != 0 && cmd.Text != "" },
		Run:      (*conv).replyToFeedback, Help: msgHelpReply, Group: helpMember, Rank: 70})
}

// feedback stores what a consumer says about a product and forwards it to
// the producer's members, with the sender's number masked.
func (c *conv) feedback(ctx context.Context, cmd Command, _ *pending) error {
	switch {
	case cmd.Code == "":
		return c.ask(ctx, &pending{Cmd: cmd, Ask: askCode}, T(c.lang, msgAskFeedbackCode, nil), nil)
	case cmd.Text == "":
		return c.ask(ctx, &pending{Cmd: cmd, Ask: askText}, T(c.lang, msgAskFeedbackText, nil), nil)
	}
	f := &core.Feedback{Channel: c.msg.Channel, URN: c.msg.URN, Body: cmd.Text}
	err := c.d.Services.Feedback.GiveFeedback(ctx, cmd.Code, f)
	switch core.ErrorCodeOf(err) {
	case "":
	case core.ENOTFOUND:
		c.say(T(c.lang, msgVerdictUnknown, map[string]any{"Code": f.Code.Printed()}))
		return nil
	case core.EINVALID:
		if f.Code == "" {
			c.say(T(c.lang, msgVerdictMistyped, map[string]any{"Input": cmd.Code}))
		} else {
			c.say(T(c.lang, msgFeedbackTooLong, nil))
		}
		return nil
	default:
		return err
	}
	facility, product, err := c.d.producerOf(ctx, f)
	if err != nil {
		return err
	}
	c.say(T(c.lang, msgFeedbackThanks, map[string]any{"Facility": facility.Name, "ID": f.ID}))
	return c.forwardFeedback(ctx, f, product)
}

// forwardFeedback queues the feedback to every member of the facility.
func (c *conv) forwardFeedback(ctx context.Context, f *core.Feedback, product string) error {
	data := map[string]any{"ID": f.ID, "Product": product, "Code": f.Code.Printed(),
		"From": f.URN.Masked(), "Text": f.Body}
	return c.notifyMembers(ctx, f.FacilityID, func(lang core.Lang) []string {
		return []string{T(lang, msgFeedbackNotice, data), T(lang, msgFeedbackNoticeHint, data)}
	})
}

// producerOf names the facility and product feedback is about.
func (d *Dialog) producerOf(ctx context.Context, f *core.Feedback) (*core.Facility, string, error) {
	facility, err := d.Services.Facilities.FindFacilityByID(ctx, f.FacilityID)
	if err != nil {
		return nil, "", err
	}
	if f.ProductID == nil {
		return facility, facility.Name, nil
	}
	products, err := d.Services.Products.FindProducts(ctx, f.FacilityID)
	if err != nil {
		return nil, "", err
	}
	for _, p := range products {
		if p.ID == *f.ProductID {
			return facility, p.Name, nil
		}
	}
	return facility, facility.Name, nil
}

// replyToFeedback relays a member's answer to the consumer: TL 42 <text>.
func (c *conv) replyToFeedback(ctx context.Context, cmd Command, _ *pending) error {
	if !complete(cmd) {
		c.say(T(c.lang, msgReplyUsage, nil))
		return nil
	}
	f, err := c.d.Services.Feedback.FindFeedback(ctx, c.member, cmd.FeedbackID)
	if core.ErrorCodeOf(err) == core.ENOTFOUND {
		c.say(T(c.lang, msgNoSuchFeedback, map[string]any{"ID": cmd.FeedbackID}))
		return nil
	}
	if err != nil {
		return err
	}
	if !f.URN.Answerable() {
		// The web page's feedback has no one to send an answer to.
		c.say(T(c.lang, msgReplyNoWayBack, map[string]any{"ID": f.ID}))
		return nil
	}
	n, err := c.d.AnswerNotice(ctx, f, cmd.Text)
	if err != nil {
		return err
	}
	c.result.Notices = append(c.result.Notices, n)
	c.say(T(c.lang, msgReplySent, map[string]any{"ID": f.ID, "To": f.URN.Masked()}))
	return nil
}

// AnswerNotice is the producer's answer to a feedback, to the consumer
// who gave it, in their language, through the channel they used (TL, or
// the console's answer form). The caller checks the feedback can be
// answered (URN.Answerable).
func (d *Dialog) AnswerNotice(ctx context.Context, f *core.Feedback, text string) (Notice, error) {
	facility, product, err := d.producerOf(ctx, f)
	if err != nil {
		return Notice{}, err
	}
	lang, err := d.langFor(ctx, f.URN, d.DefaultLang)
	if err != nil {
		return Notice{}, err
	}
	data := map[string]any{"Facility": facility.Name, "Product": product, "Text": text}
	return Notice{To: f.URN, Reply: Reply{Lang: lang, Lines: []Line{{Text: T(lang, msgAnswerNotice, data)}}}}, nil
}
