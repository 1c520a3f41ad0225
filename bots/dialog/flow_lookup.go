package dialog

import (
	"context"
	"strings"

	"tracegate/core"
)

// IntentLookup is a code alone, or TX <code>.
const IntentLookup Intent = "lookup"

const (
	msgHelpLookup msgID = "help_lookup"
	msgMenuLookup msgID = "menu_lookup"
)

func init() {
	register(command{Intent: IntentLookup, Words: []string{"TX", "TRACUU", "LOOKUP", "CHECK"},
		Parse: func(cmd *Command, text string, toks []token, n int) {
			cmd.Code = rest(text, toks, n)
			if code, pin, ok := splitPIN(cmd.Code); ok {
				cmd.Code, cmd.PIN = code, pin
			}
		},
		Complete: func(cmd Command) bool { return cmd.Code != "" },
		Run:      (*conv).lookup, Help: msgHelpLookup, Group: helpAnyone,
		Menu: "lookup", MenuText: msgMenuLookup, Rank: 80})
}

// lookup answers what a code is: the verdict first, then the provenance,
// then the link, each line marked with how readily SMS may drop it.
func (c *conv) lookup(ctx context.Context, cmd Command, _ *pending) error {
	if cmd.Code == "" {
		return c.ask(ctx, &pending{Cmd: cmd, Ask: askCode}, T(c.lang, msgAskCode, nil), nil)
	}
	p, err := c.d.Services.Lookups.Lookup(ctx, core.LookupRequest{Input: cmd.Code, Channel: c.msg.Channel, Sender: c.msg.URN, PIN: cmd.PIN})
	if err != nil {
		return err
	}
	c.send(c.provenanceReply(p))
	return nil
}

func (c *conv) provenanceReply(p *core.Provenance) Reply {
	r := Reply{Lang: c.lang}
	add := func(drop int, id msgID, data map[string]any, count ...int) {
		r.Lines = append(r.Lines, Line{Text: T(c.lang, id, data, count...), Drop: drop})
	}
	data := map[string]any{"Code": p.Code.Printed(), "Input": strings.TrimSpace(p.Input)}
	if p.Facility != nil {
		data["Facility"], data["Province"] = p.Facility.Name, p.Facility.Province
	}
	switch p.Verdict {
	case core.VerdictMistyped:
		add(keep, msgVerdictMistyped, data)
		return r
	case core.VerdictUnknown:
		add(keep, msgVerdictUnknown, data)
		return r
	case core.VerdictNotActivated:
		add(keep, msgVerdictNotActivated, data)
	case core.VerdictVoid:
		add(keep, msgVerdictVoid, data)
	case core.VerdictRecalled:
		add(keep, msgVerdictRecalled, map[string]any{"Code": p.Code.Printed(), "Lot": p.Lot.Code, "Reason": p.Lot.RecallReason})
	case core.VerdictSuspicious:
		add(keep, msgVerdictSuspicious, data)
	default:
		add(keep, msgVerdictGenuine, data)
	}
	r.Lines = append(r.Lines, AlertLines(c.lang, p)...)
	if p.Product != nil && p.Verdict != core.VerdictNotActivated {
		c.productLines(p, add, data)
	} else if p.Facility != nil {
		add(dropProducer, msgProducer, data)
	}
	if p.Verdict == core.VerdictGenuine || p.Verdict == core.VerdictSuspicious {
		add(dropFeedback, msgFeedbackHint, map[string]any{"Code": string(p.Code)})
	}
	r.Link = c.link(p.Code)
	return r
}

// productLines tell what the product is, who made it and how its lot
// was made.
func (c *conv) productLines(p *core.Provenance, add func(int, msgID, map[string]any, ...int), data map[string]any) {
	pr := p.Product
	if pr.OCOPStars != nil {
		add(keep, msgProductStars, map[string]any{"Product": pr.Name, "Stars": *pr.OCOPStars})
	} else {
		add(keep, msgProduct, map[string]any{"Product": pr.Name})
	}
	add(dropProducer, msgProducer, data)
	if len(pr.Certifications) > 0 {
		add(dropCerts, msgCertifications, map[string]any{"List": strings.Join(pr.Certifications, ", ")})
	}
	if p.Lot == nil || p.Diary == nil {
		return
	}
	add(dropLot, msgLot, map[string]any{"Lot": p.Lot.Code})
	if d := p.Diary; d.HarvestedAt != nil {
		add(dropLot, msgHarvested, map[string]any{"Date": formatDate(*d.HarvestedAt)})
	}
	if d := p.Diary; d.PackedAt != nil {
		add(dropLot, msgPacked, map[string]any{"Date": formatDate(*d.PackedAt)})
	}
	if len(p.Inputs) > 0 {
		add(dropOrigins, msgOrigins, map[string]any{"List": c.origins(p.Inputs)})
	}
	add(dropDiary, msgDiarySteps, map[string]any{"Count": p.Diary.Steps}, p.Diary.Steps)
}

// maxOrigins bounds the inputs an SMS names; the page shows them all.
const maxOrigins = 3

// origins names what went into a lot and where it came from, one step
// back: `tôm giống: Trại Minh Phú, lô G12; thức ăn`.
func (c *conv) origins(inputs []*core.Input) string {
	var parts []string
	for _, in := range inputs[:min(len(inputs), maxOrigins)] {
		parts = append(parts, T(c.lang, msgOrigin, map[string]any{"What": in.What, "Supplier": in.SupplierName, "SupplierLot": in.SupplierLot}))
	}
	return strings.Join(parts, "; ")
}
