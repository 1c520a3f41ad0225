package dialog

import (
	"context"

	"tracegate/core"
)

// The diary: recording an entry, taking back one's last.
const (
	IntentDiary Intent = "diary" // NK <lot> <step> [qty unit] [note]
	IntentUndo  Intent = "undo"  // XOA
)

const (
	msgHelpDiary msgID = "help_diary"
	msgMenuDiary msgID = "menu_diary"
	msgHelpUndo  msgID = "help_undo"
)

func init() {
	register(command{Intent: IntentDiary, Words: []string{"NK", "NHATKY", "DIARY", "LOG"}, Member: true,
		Parse: parseDiary, Complete: func(cmd Command) bool { return cmd.Lot != "" && cmd.Step != "" },
		Run: (*conv).diary, Help: msgHelpDiary, Group: helpMember, Menu: "diary", MenuText: msgMenuDiary, Rank: 10})
	register(command{Intent: IntentUndo, Words: []string{"XOA", "UNDO"}, Member: true,
		Run: (*conv).undo, Help: msgHelpUndo, Group: helpMember, Rank: 20})
}

// diary records a diary entry, asking for the lot, the step and, in a
// guided dialog, the quantity and note. p is the question just answered,
// nil for a fresh command.
func (c *conv) diary(ctx context.Context, cmd Command, p *pending) error {
	c.keepPhotos(&cmd)
	guided := (p != nil && p.Guided) || !complete(cmd)
	next := &pending{Cmd: cmd, Guided: guided}
	if cmd.Lot == "" {
		next.Ask = askLot
		return c.askLot(ctx, next, T(c.lang, msgAskDiaryLot, nil))
	}
	lot, err := c.d.Services.Lots.FindLotByCode(ctx, c.member.FacilityID, cmd.Lot)
	if lotNotFound(err, cmd.Lot) {
		return c.noSuchLot(ctx, next, msgAskDiaryLot)
	}
	if err != nil {
		return err
	}
	if cmd.Step == "" {
		next.Ask = askStep
		return c.ask(ctx, next, T(c.lang, msgAskStep, map[string]any{"Lot": lot.Code}), c.stepMenu())
	}
	if cmd.QuantityText != "" {
		c.warn(T(c.lang, msgBadQuantity, map[string]any{"Input": cmd.QuantityText}))
		next.Cmd.QuantityText, next.Ask = "", askDetails
		return c.ask(ctx, next, T(c.lang, msgAskDetails, nil), nil)
	}
	detailsAsked := p != nil && p.Ask == askDetails
	if guided && !detailsAsked && cmd.Quantity == nil && cmd.Note == "" {
		next.Ask = askDetails
		return c.ask(ctx, next, T(c.lang, msgAskDetails, nil), nil)
	}
	return c.record(ctx, cmd)
}

func (c *conv) record(ctx context.Context, cmd Command) error {
	location := c.msg.Location
	if cmd.Location != nil {
		location = cmd.Location
	}
	e := &core.DiaryEntry{LotCode: cmd.Lot, Step: cmd.Step, Quantity: cmd.Quantity, Note: cmd.Note,
		HappenedAt: c.d.now(), Photos: cmd.Photos, Location: location,
		Channel: c.msg.Channel, MessageRef: c.msg.Ref}
	if cmd.Album != "" {
		e.Album = core.AlbumKey{URN: c.msg.URN, Group: cmd.Album}
	}
	err := c.d.Services.Diary.RecordEntry(ctx, c.member, e)
	if c.refused(err) {
		return nil
	}
	if core.ErrorCodeOf(err) == core.EINVALID {
		c.say(T(c.lang, msgEntryRefused, nil))
		return nil
	}
	if err != nil {
		return err
	}
	c.say(T(c.lang, msgRecorded, c.entryData(e)), T(c.lang, msgUndoHint, nil))
	return nil
}

func (c *conv) undo(ctx context.Context, _ Command, _ *pending) error {
	e, err := c.d.Services.Diary.UndoLastEntry(ctx, c.member)
	if core.ErrorCodeOf(err) == core.ENOTFOUND {
		c.say(T(c.lang, msgNothingToUndo, nil))
		return nil
	}
	if err != nil {
		return err
	}
	c.say(T(c.lang, msgUndone, c.entryData(e)))
	return nil
}

// entryData is what the diary messages say about an entry.
func (c *conv) entryData(e *core.DiaryEntry) map[string]any {
	return map[string]any{
		"Lot":      e.LotCode,
		"Step":     T(c.lang, stepLabel(e.Step), nil),
		"Quantity": formatQuantity(c.lang, e.Quantity),
		"Note":     e.Note,
		"Date":     formatDate(e.HappenedAt),
	}
}

// stepMenu offers the diary steps in the order a season runs.
func (c *conv) stepMenu() []Choice {
	menu := make([]Choice, len(core.Steps))
	for i, s := range core.Steps {
		menu[i] = Choice{Value: string(s.Step), Label: T(c.lang, stepLabel(s.Step), nil)}
	}
	return menu
}
