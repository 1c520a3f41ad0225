package dialog

import (
	"context"

	"tracegate/core"
)

// IntentRecall recalls a lot: THUHOI <lot> <reason>, RECALL.
const IntentRecall Intent = "recall"

const (
	msgHelpRecall         msgID = "help_recall"
	msgAskRecallLot       msgID = "ask_recall_lot"
	msgAskRecallReason    msgID = "ask_recall_reason"
	msgRecalledNow        msgID = "recalled_now"
	msgLotRecalled        msgID = "lot_recalled"
	msgRecallNotice       msgID = "recall_notice"
	msgRecallMemberNotice msgID = "recall_member_notice"
)

func init() {
	register(command{Intent: IntentRecall, Words: []string{"THUHOI", "RECALL"}, Member: true,
		Parse: func(cmd *Command, text string, toks []token, n int) {
			var args []token
			cmd.Lot, args = takeLot(toks[n:])
			cmd.Text = rest(text, toks, len(toks)-len(args))
		},
		Complete: func(cmd Command) bool { return cmd.Lot != "" && cmd.Text != "" },
		Run:      (*conv).recall, Help: msgHelpRecall, Group: helpMember, Shown: "THUHOI", Rank: 66,
		Refusals: map[string]msgID{core.ReasonLotRecalled: msgLotRecalled}})
}

// recall recalls a lot of the member's facility, asking which and why,
// and tells everyone who should know, after every reply waiting.
func (c *conv) recall(ctx context.Context, cmd Command, _ *pending) error {
	next := &pending{Cmd: cmd}
	switch {
	case cmd.Lot == "":
		next.Ask = askLot
		return c.askLot(ctx, next, T(c.lang, msgAskRecallLot, nil))
	case cmd.Text == "":
		next.Ask = askText
		return c.ask(ctx, next, T(c.lang, msgAskRecallReason, map[string]any{"Lot": cmd.Lot}), nil)
	}
	lot, err := c.d.Services.Lots.RecallLot(ctx, c.member, cmd.Lot, cmd.Text)
	switch {
	case c.refused(err):
		return nil
	case lotNotFound(err, cmd.Lot):
		return c.noSuchLot(ctx, next, msgAskRecallLot)
	case core.ErrorCodeOf(err) == core.EINVALID:
		c.say(T(c.lang, msgNoteTooLong, nil))
		return nil
	case err != nil:
		return err
	}
	notices, err := c.d.RecallNotices(ctx, lot)
	if err != nil {
		return err
	}
	c.result.Notices = append(c.result.Notices, notices...)
	c.say(T(c.lang, msgRecalledNow, map[string]any{"Lot": lot.Code, "Product": lot.ProductName, "Count": len(notices)}))
	return nil
}

// RecallNotices are the notices of a lot's recall, each in its reader's
// language and sent as bulk, behind every reply: the facility's members,
// the agency, and whoever looked its stamps up or gave feedback lately.
func (d *Dialog) RecallNotices(ctx context.Context, lot *core.Lot) ([]Notice, error) {
	facility, err := d.Services.Facilities.FindFacilityByID(ctx, lot.FacilityID)
	if err != nil {
		return nil, err
	}
	members, err := d.Services.Members.FindMembers(ctx, lot.FacilityID)
	if err != nil {
		return nil, err
	}
	audience, err := d.Services.Lots.RecallAudience(ctx, lot.ID)
	if err != nil {
		return nil, err
	}
	data := map[string]any{"Lot": lot.Code, "Product": lot.ProductName, "Facility": facility.Name, "Reason": lot.RecallReason}
	var notices []Notice
	told := map[core.URN]bool{}
	add := func(urn core.URN, fallback core.Lang, id msgID) error {
		if told[urn] {
			return nil
		}
		told[urn] = true
		lang, err := d.langFor(ctx, urn, fallback)
		if err != nil {
			return err
		}
		notices = append(notices, Notice{To: urn, Bulk: true, Reply: Reply{Lang: lang, Lines: []Line{{Text: T(lang, id, data)}}}})
		return nil
	}
	for _, m := range members {
		if len(m.URNs) > 0 {
			if err := add(m.URNs[0], m.Lang, msgRecallMemberNotice); err != nil {
				return nil, err
			}
		}
	}
	for _, urn := range append(append([]core.URN{}, d.Agency...), audience...) {
		if err := add(urn, d.DefaultLang, msgRecallNotice); err != nil {
			return nil, err
		}
	}
	return notices, nil
}

// langFor is the language a person chose, else fallback.
func (d *Dialog) langFor(ctx context.Context, urn core.URN, fallback core.Lang) (core.Lang, error) {
	contact, err := d.Services.Contacts.FindContact(ctx, urn)
	if err != nil {
		return "", err
	}
	if contact.Lang.Valid() {
		return contact.Lang, nil
	}
	if fallback.Valid() {
		return fallback, nil
	}
	return core.LangVI, nil
}
