package dialog

import (
	"context"

	"tracegate/core"
)

// IntentCloseLot closes a lot: LO DONG <lot>, LOT CLOSE <lot>.
const IntentCloseLot Intent = "close_lot"

const (
	msgHelpCloseLot msgID = "help_close_lot"
	msgAskCloseLot  msgID = "ask_close_lot"
	msgLotClosedNow msgID = "lot_closed_now"
	msgLotClosed    msgID = "lot_closed"
)

func init() {
	register(command{Intent: IntentCloseLot, Words: []string{"LODONG", "LOTCLOSE"}, Member: true,
		Parse: func(cmd *Command, _ string, toks []token, n int) {
			if len(toks) > n {
				cmd.Lot = toks[n].key
			}
		},
		Complete: func(cmd Command) bool { return cmd.Lot != "" },
		Run:      (*conv).closeLot, Help: msgHelpCloseLot, Group: helpMember, Shown: "LO DONG", Rank: 45,
		// Said by the diary and activation too, when they meet a closed lot.
		Refusals: map[string]msgID{core.ReasonLotClosed: msgLotClosed}})
}

// closeLot closes a lot for good, asking which when it is not said.
func (c *conv) closeLot(ctx context.Context, cmd Command, _ *pending) error {
	next := &pending{Cmd: cmd, Ask: askLot}
	if cmd.Lot == "" {
		return c.askLot(ctx, next, T(c.lang, msgAskCloseLot, nil))
	}
	lot, err := c.d.Services.Lots.CloseLot(ctx, c.member, cmd.Lot)
	if lotNotFound(err, cmd.Lot) {
		return c.noSuchLot(ctx, next, msgAskCloseLot)
	}
	if c.refused(err) {
		return nil
	}
	if err != nil {
		return err
	}
	c.say(T(c.lang, msgLotClosedNow, map[string]any{"Lot": lot.Code, "Product": lot.ProductName}))
	return nil
}
