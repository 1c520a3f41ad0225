package dialog

import (
	"context"
	"strings"

	"tracegate/core"
)

// Lots: the list, and opening one.
const (
	IntentLots    Intent = "lots"     // LO
	IntentOpenLot Intent = "open_lot" // LO MOI <product> [note]
)

const (
	msgHelpLots    msgID = "help_lots"
	msgMenuLots    msgID = "menu_lots"
	msgHelpOpenLot msgID = "help_open_lot"
)

func init() {
	register(command{Intent: IntentLots, Words: []string{"LO", "LOT", "LOTS"}, Member: true,
		Run: (*conv).listLots, Help: msgHelpLots, Group: helpMember, Menu: "lots", MenuText: msgMenuLots, Rank: 30})
	register(command{Intent: IntentOpenLot, Words: []string{"LOMOI", "LOTNEW"}, Member: true,
		Parse: func(cmd *Command, text string, toks []token, n int) {
			if len(toks) > n {
				cmd.Product, cmd.Note = text[toks[n].start:toks[n].end], rest(text, toks, n+1)
			}
		},
		Complete: func(cmd Command) bool { return cmd.Product != "" },
		Run:      (*conv).openLot, Help: msgHelpOpenLot, Group: helpMember, Shown: "LO MOI", Rank: 40})
}

// menuSize is how many choices a menu offers: one screen of a basic phone.
const menuSize = 9

// askLot asks which lot, offering the facility's newest lots.
func (c *conv) askLot(ctx context.Context, p *pending, question string) error {
	lots, err := c.d.Services.Lots.FindLots(ctx, c.member.FacilityID, menuSize)
	if err != nil {
		return err
	}
	menu := make([]Choice, len(lots))
	for i, l := range lots {
		menu[i] = Choice{Value: l.Code, Label: l.Code + " " + l.ProductName}
	}
	return c.askChoice(ctx, p, question, menu, msgNoLots)
}

// lotNotFound says whether err means the lot named is not the
// facility's, or no lot code at all.
func lotNotFound(err error, lot string) bool {
	_, bad := core.ParseLotCode(lot)
	code := core.ErrorCodeOf(err)
	return code == core.ENOTFOUND || code == core.EINVALID && bad != nil
}

// noSuchLot says the lot asked about is not the facility's and asks for
// one of its own, by question.
func (c *conv) noSuchLot(ctx context.Context, next *pending, question msgID) error {
	c.warn(T(c.lang, msgNoSuchLot, map[string]any{"Lot": next.Cmd.Lot}))
	next.Cmd.Lot, next.Ask = "", askLot
	return c.askLot(ctx, next, T(c.lang, question, nil))
}

// askChoice asks with a menu, or says there is nothing to choose from.
func (c *conv) askChoice(ctx context.Context, p *pending, question string, menu []Choice, none msgID) error {
	if len(menu) == 0 {
		c.say(T(c.lang, none, nil))
		return nil
	}
	return c.ask(ctx, p, question, menu)
}

func (c *conv) listLots(ctx context.Context, _ Command, _ *pending) error {
	lots, err := c.d.Services.Lots.FindLots(ctx, c.member.FacilityID, menuSize)
	if err != nil {
		return err
	}
	if len(lots) == 0 {
		c.say(T(c.lang, msgNoLots, nil))
		return nil
	}
	lines := []string{T(c.lang, msgLotsHeader, nil)}
	for _, l := range lots {
		// Record is the whole lot, for the words to say whatever state it is in.
		lines = append(lines, T(c.lang, msgLotLine, map[string]any{
			"Lot": l.Code, "Product": l.ProductName, "Date": formatDate(l.OpenedAt), "Record": l}))
	}
	c.say(lines...)
	return nil
}

func (c *conv) openLot(ctx context.Context, cmd Command, _ *pending) error {
	next := &pending{Cmd: cmd, Ask: askProduct}
	if cmd.Product == "" {
		return c.askProduct(ctx, next)
	}
	product, note, err := c.productCode(ctx, cmd.Product, cmd.Note)
	if err != nil {
		return err
	}
	lot, err := c.d.Services.Lots.OpenLot(ctx, c.member, product, note)
	switch core.ErrorCodeOf(err) {
	case "":
		c.say(T(c.lang, msgLotOpened, map[string]any{"Lot": lot.Code, "Product": lot.ProductName}))
		return nil
	case core.ENOTFOUND:
		c.warn(T(c.lang, msgNoSuchProduct, map[string]any{"Product": strings.ToUpper(cmd.Product)}))
		next.Cmd.Product = ""
		return c.askProduct(ctx, next)
	case core.EINVALID:
		c.say(T(c.lang, msgNoteTooLong, nil))
		return nil
	}
	return err
}

// askProduct asks which product the lot is of.
func (c *conv) askProduct(ctx context.Context, p *pending) error {
	products, err := c.d.Services.Products.FindProducts(ctx, c.member.FacilityID)
	if err != nil {
		return err
	}
	menu := make([]Choice, 0, menuSize)
	for _, pr := range products[:min(len(products), menuSize)] {
		menu = append(menu, Choice{Value: pr.Code, Label: pr.Code + " " + pr.Name})
	}
	return c.askChoice(ctx, p, T(c.lang, msgAskProduct, nil), menu, msgNoProducts)
}

// productCode reads a product code typed in two words (`mật ong` for
// MATONG): when the first word names no product but it and the next do,
// the next word belongs to the code, not the note.
func (c *conv) productCode(ctx context.Context, first, note string) (string, string, error) {
	second, rest, _ := strings.Cut(note, " ")
	if second == "" {
		return first, note, nil
	}
	products, err := c.d.Services.Products.FindProducts(ctx, c.member.FacilityID)
	if err != nil {
		return "", "", err
	}
	one, two := core.NormalizeProductCode(first), core.NormalizeProductCode(first+second)
	for _, p := range products {
		if p.Code == one {
			return first, note, nil
		}
	}
	for _, p := range products {
		if p.Code == two {
			return two, strings.TrimSpace(rest), nil
		}
	}
	return first, note, nil
}
