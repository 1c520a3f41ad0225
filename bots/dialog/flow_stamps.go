package dialog

import (
	"context"

	"tracegate/core"
)

// Stamps: activating a roll on a lot, voiding what is lost or damaged.
const (
	IntentActivate Intent = "activate" // KH <lot> <serial>[-<serial>]
	IntentVoid     Intent = "void"     // HUY <serial>[-<serial>]
)

const (
	msgHelpActivate msgID = "help_activate"
	msgMenuActivate msgID = "menu_activate"
	msgHelpVoid     msgID = "help_void"
)

func init() {
	register(command{Intent: IntentActivate, Words: []string{"KH", "KICHHOAT", "ACTIVATE"}, Member: true,
		Parse: parseActivate, Complete: func(cmd Command) bool { return cmd.Lot != "" && hasRange(cmd) },
		Run: (*conv).activate, Help: msgHelpActivate, Group: helpMember, Menu: "activate", MenuText: msgMenuActivate, Rank: 50})
	register(command{Intent: IntentVoid, Words: []string{"HUY", "VOID"}, Member: true,
		Parse:    func(cmd *Command, text string, toks []token, n int) { setRange(cmd, rest(text, toks, n)) },
		Complete: hasRange, Run: (*conv).void, Help: msgHelpVoid, Group: helpMember, Rank: 60})
}

func hasRange(cmd Command) bool { return cmd.Range != nil || cmd.RangeText != "" }

// activate links a serial range to a lot: KH L7 1201-1500.
func (c *conv) activate(ctx context.Context, cmd Command, _ *pending) error {
	next := &pending{Cmd: cmd}
	if cmd.Lot == "" {
		next.Ask = askLot
		return c.askLot(ctx, next, T(c.lang, msgAskActivateLot, nil))
	}
	if ok, err := c.needRange(ctx, next); !ok || err != nil {
		return err
	}
	res, err := c.d.Services.Stamps.Activate(ctx, c.member, cmd.Lot, *cmd.Range)
	if c.refused(err) {
		return nil
	}
	switch core.ErrorCodeOf(err) {
	case "":
	case core.ENOTFOUND:
		return c.noSuchLot(ctx, next, msgAskActivateLot)
	case core.EINVALID:
		return c.badRange(ctx, next, rangeText(cmd))
	default:
		return err
	}
	lines := []string{T(c.lang, msgActivated, map[string]any{"Lot": res.Lot.Code, "Count": res.Activated}, int(res.Activated))}
	if res.Activated == 0 {
		lines[0] = T(c.lang, msgNoneActivated, map[string]any{"Lot": res.Lot.Code})
	}
	lines = c.countLines(lines, []counted{
		{res.Already, msgAlreadyActive}, {res.OtherLot, msgOnOtherLot}, {res.Void, msgWereVoid}, {res.Missing, msgMissing}})
	c.say(lines...)
	return nil
}

// void marks a serial range lost or damaged: HUY 1203.
func (c *conv) void(ctx context.Context, cmd Command, _ *pending) error {
	next := &pending{Cmd: cmd}
	if ok, err := c.needRange(ctx, next); !ok || err != nil {
		return err
	}
	res, err := c.d.Services.Stamps.Void(ctx, c.member, *cmd.Range)
	if core.ErrorCodeOf(err) == core.EINVALID {
		return c.badRange(ctx, next, rangeText(cmd))
	}
	if err != nil {
		return err
	}
	lines := []string{T(c.lang, msgVoided, map[string]any{"Count": res.Voided}, int(res.Voided))}
	if res.Voided == 0 {
		lines[0] = T(c.lang, msgNoneVoided, nil)
	}
	lines = c.countLines(lines, []counted{{res.Already, msgAlreadyVoid}, {res.Missing, msgMissing}})
	c.say(lines...)
	return nil
}

// needRange asks for the serials when the command has none or a bad one;
// ok means the command has a range to work on.
func (c *conv) needRange(ctx context.Context, next *pending) (ok bool, err error) {
	cmd := next.Cmd
	if cmd.RangeText != "" {
		return false, c.badRange(ctx, next, cmd.RangeText)
	}
	if cmd.Range == nil {
		next.Ask = askRange
		return false, c.ask(ctx, next, T(c.lang, msgAskRange, nil), nil)
	}
	return true, nil
}

func (c *conv) badRange(ctx context.Context, next *pending, text string) error {
	c.warn(T(c.lang, msgBadRange, map[string]any{"Input": text, "Max": core.MaxRange}))
	next.Cmd.Range, next.Cmd.RangeText, next.Ask = nil, "", askRange
	return c.ask(ctx, next, T(c.lang, msgAskRange, nil), nil)
}

func rangeText(cmd Command) string {
	if cmd.Range == nil {
		return cmd.RangeText
	}
	if cmd.Range.From == cmd.Range.To {
		return itoa(cmd.Range.From)
	}
	return itoa(cmd.Range.From) + "-" + itoa(cmd.Range.To)
}

// counted is one count of a result worth a line when it is not zero.
type counted struct {
	n  int64
	id msgID
}

func (c *conv) countLines(lines []string, counts []counted) []string {
	for _, ct := range counts {
		if ct.n > 0 {
			lines = append(lines, T(c.lang, ct.id, map[string]any{"Count": ct.n}, int(ct.n)))
		}
	}
	return lines
}
