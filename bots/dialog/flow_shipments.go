package dialog

import (
	"context"

	"tracegate/core"
)

// IntentShipment records where part of a lot went, one step forward:
// BAN <lot> <qty unit> [CHO <buyer>].
const IntentShipment Intent = "shipment"

const (
	msgHelpShipment      msgID = "help_shipment"
	msgAskShipmentLot    msgID = "ask_shipment_lot"
	msgAskShipment       msgID = "ask_shipment"
	msgShipmentRecorded  msgID = "shipment_recorded"
	msgShipmentToMember  msgID = "shipment_to_member"
	msgShipmentNotice    msgID = "shipment_notice"
	msgShipmentRefused   msgID = "shipment_refused"
	msgShipmentNoticeFor msgID = "shipment_notice_hint"
)

// toWords name the buyer inside BAN.
var toWords = map[string]bool{"CHO": true, "TO": true}

func init() {
	register(command{Intent: IntentShipment, Words: []string{"BAN", "SELL"}, Member: true,
		Parse: func(cmd *Command, text string, toks []token, n int) {
			var args []token
			cmd.Lot, args = takeLot(toks[n:])
			amount, buyer := splitAt(args, toWords)
			cmd.Quantity, cmd.QuantityText, cmd.Note = quantityAndNote(text, amount)
			cmd.Party = spanOf(text, buyer)
		},
		Complete: func(cmd Command) bool { return cmd.Lot != "" && cmd.Quantity != nil },
		Run:      (*conv).shipment, Help: msgHelpShipment, Group: helpMember, Rank: 64})
}

// shipment records a shipment of a lot, asking for the lot and how much;
// a buyer that is a facility here hears of it, to take it as an input.
func (c *conv) shipment(ctx context.Context, cmd Command, p *pending) error {
	next := &pending{Cmd: cmd}
	if cmd.Lot == "" {
		next.Ask = askLot
		return c.askLot(ctx, next, T(c.lang, msgAskShipmentLot, nil))
	}
	if cmd.Quantity == nil {
		switch {
		case cmd.QuantityText != "":
			c.warn(T(c.lang, msgBadQuantity, map[string]any{"Input": cmd.QuantityText}))
		case p != nil && p.Ask == askArgs:
			c.warn(T(c.lang, msgBadChoice, map[string]any{"Input": c.msg.Text}))
		}
		next.Ask = askArgs
		return c.ask(ctx, next, T(c.lang, msgAskShipment, nil), nil)
	}
	sh := &core.Shipment{LotCode: cmd.Lot, Quantity: *cmd.Quantity, BuyerName: cmd.Party,
		Channel: c.msg.Channel, MessageRef: c.msg.Ref}
	err := c.d.Services.Chain.RecordShipment(ctx, c.member, sh)
	switch {
	case c.refused(err):
		return nil
	case lotNotFound(err, cmd.Lot):
		return c.noSuchLot(ctx, next, msgAskShipmentLot)
	case core.ErrorCodeOf(err) == core.EINVALID:
		c.say(T(c.lang, msgShipmentRefused, nil))
		return nil
	case err != nil:
		return err
	}
	return c.shipmentRecorded(ctx, sh)
}

// shipmentRecorded says what was recorded, naming a linked buyer as it is
// registered, and tells the buyer.
func (c *conv) shipmentRecorded(ctx context.Context, sh *core.Shipment) error {
	data := map[string]any{"Lot": sh.LotCode, "Quantity": formatQuantity(c.lang, &sh.Quantity), "Buyer": sh.BuyerName, "ID": sh.ID}
	if sh.BuyerFacilityID == nil {
		c.say(T(c.lang, msgShipmentRecorded, data))
		return nil
	}
	buyer, err := c.d.Services.Facilities.FindFacilityByID(ctx, *sh.BuyerFacilityID)
	if err != nil {
		return err
	}
	data["Buyer"] = buyer.Name
	c.say(T(c.lang, msgShipmentRecorded, data), T(c.lang, msgShipmentToMember, data))
	return c.tellBuyer(ctx, sh)
}

// tellBuyer tells the members of a buyer that is a facility here what
// is coming and how to take it as an input of one of their lots.
func (c *conv) tellBuyer(ctx context.Context, sh *core.Shipment) error {
	if sh.BuyerFacilityID == nil {
		return nil
	}
	seller, err := c.d.Services.Facilities.FindFacilityByID(ctx, sh.FacilityID)
	if err != nil {
		return err
	}
	return c.notifyMembers(ctx, *sh.BuyerFacilityID, func(lang core.Lang) []string {
		data := map[string]any{"Seller": seller.Name, "Product": sh.ProductName, "Lot": sh.LotCode,
			"Quantity": formatQuantity(lang, &sh.Quantity), "ID": sh.ID}
		return []string{T(lang, msgShipmentNotice, data), T(lang, msgShipmentNoticeFor, data)}
	})
}
