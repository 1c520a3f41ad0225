package dialog

import (
	"context"
	"strconv"

	"tracegate/core"
)

// IntentInput records what went into a lot, one step back:
// MUA <lot> <what> [qty unit] [TU <supplier>] [LO <their lot>], or
// MUA <lot> NHAN <shipment no> for a shipment a facility here sent.
const IntentInput Intent = "input"

const (
	msgHelpInput      msgID = "help_input"
	msgAskInputLot    msgID = "ask_input_lot"
	msgAskInput       msgID = "ask_input"
	msgInputRecorded  msgID = "input_recorded"
	msgShipmentTaken  msgID = "shipment_taken"
	msgNoSuchShipment msgID = "no_such_shipment"
	msgInputRefused   msgID = "input_refused"
)

// The words inside MUA: from whom, their lot, taking a shipment.
var (
	fromWords    = map[string]bool{"TU": true, "FROM": true}
	theirLot     = map[string]bool{"LO": true, "LOT": true}
	receiveWords = map[string]bool{"NHAN": true, "RECEIVE": true}
)

func init() {
	register(command{Intent: IntentInput, Words: []string{"MUA", "BUY"}, Member: true,
		Parse:    parseInput,
		Complete: func(cmd Command) bool { return cmd.Lot != "" && (cmd.Text != "" || cmd.ShipmentID != 0) },
		Run:      (*conv).input, Help: msgHelpInput, Group: helpMember, Rank: 62,
		Refusals: map[string]msgID{core.ReasonShipmentTaken: msgShipmentTaken, core.ReasonNoShipment: msgNoSuchShipment}})
}

// parseInput reads the lot, then a shipment to take, or what came (with
// its quantity anywhere), from whom and their lot.
func parseInput(cmd *Command, text string, toks []token, n int) {
	var args []token
	cmd.Lot, args = takeLot(toks[n:])
	if len(args) == 2 && receiveWords[args[0].key] {
		if id, err := strconv.ParseInt(args[1].key, 10, 64); err == nil && id > 0 {
			cmd.ShipmentID = id
			return
		}
	}
	what, from := splitAt(args, fromWords)
	cmd.Quantity, cmd.QuantityText, cmd.Text = quantityAndNote(text, what)
	supplier, lot := splitAt(from, theirLot)
	cmd.Party, cmd.PartyLot = spanOf(text, supplier), spanOf(text, lot)
}

// splitAt splits toks at the first word among markers, dropping it.
func splitAt(toks []token, markers map[string]bool) (before, after []token) {
	for i, t := range toks {
		if markers[t.key] {
			return toks[:i], toks[i+1:]
		}
	}
	return toks, nil
}

// spanOf is the original text of consecutive tokens.
func spanOf(text string, toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	return text[toks[0].start:toks[len(toks)-1].end]
}

// input records an input of a lot, asking for the lot and what came.
func (c *conv) input(ctx context.Context, cmd Command, _ *pending) error {
	next := &pending{Cmd: cmd}
	if cmd.Lot == "" {
		next.Ask = askLot
		return c.askLot(ctx, next, T(c.lang, msgAskInputLot, nil))
	}
	if cmd.QuantityText != "" {
		c.warn(T(c.lang, msgBadQuantity, map[string]any{"Input": cmd.QuantityText}))
		cmd.Text = ""
	}
	if cmd.Text == "" && cmd.ShipmentID == 0 {
		next.Ask = askArgs
		return c.ask(ctx, next, T(c.lang, msgAskInput, nil), nil)
	}
	in := &core.Input{LotCode: cmd.Lot, What: cmd.Text, Quantity: cmd.Quantity, SupplierName: cmd.Party,
		SupplierLot: cmd.PartyLot, Channel: c.msg.Channel, MessageRef: c.msg.Ref}
	var err error
	if cmd.ShipmentID != 0 {
		in.ShipmentID = &cmd.ShipmentID
		err = c.d.Services.Chain.TakeShipment(ctx, c.member, in)
	} else {
		err = c.d.Services.Chain.RecordInput(ctx, c.member, in)
	}
	return c.inputRecorded(ctx, next, in, err)
}

// inputRecorded answers how recording the input went.
func (c *conv) inputRecorded(ctx context.Context, next *pending, in *core.Input, err error) error {
	switch {
	case c.refused(err):
		return nil
	case lotNotFound(err, in.LotCode):
		return c.noSuchLot(ctx, next, msgAskInputLot)
	case core.ErrorCodeOf(err) == core.EINVALID:
		c.say(T(c.lang, msgInputRefused, nil))
		return nil
	case err != nil:
		return err
	}
	c.say(T(c.lang, msgInputRecorded, map[string]any{"Lot": in.LotCode, "What": in.What,
		"Quantity": formatQuantity(c.lang, in.Quantity), "Supplier": in.SupplierName, "SupplierLot": in.SupplierLot}))
	return nil
}
