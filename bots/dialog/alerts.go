package dialog

import (
	"tracegate/core"
)

// Alert messages: what exposes a copied stamp, said on every channel and
// on the page.
const (
	msgFirstVerified     msgID = "first_verified"
	msgFirstVerifiedSelf msgID = "first_verified_self"
	msgPINFirst          msgID = "pin_first"
	msgPINOwn            msgID = "pin_own"
	msgPINReused         msgID = "pin_reused"
	msgPINWrong          msgID = "pin_wrong"
	msgPINNone           msgID = "pin_none"
	msgPINLimited        msgID = "pin_limited"
)

var pinMessages = map[core.PINCheck]msgID{
	core.PINFirst: msgPINFirst, core.PINOwn: msgPINOwn, core.PINReused: msgPINReused, core.PINWrong: msgPINWrong,
	core.PINNone: msgPINNone, core.PINLimited: msgPINLimited,
}

// AlertLines are the lines a lookup adds to its verdict: what came of a
// PIN, why a code is suspicious, and when it was first verified. The
// PIN's answer is never dropped; the rest go before the product's lines
// when an SMS is short of room, after the diary's.
func AlertLines(lang core.Lang, p *core.Provenance) []Line {
	var lines []Line
	add := func(drop int, id msgID, data map[string]any) {
		lines = append(lines, Line{Text: T(lang, id, data), Drop: drop})
	}
	if id, ok := pinMessages[p.PIN]; ok {
		data := map[string]any{}
		if p.PINUsedAt != nil {
			data["Date"] = formatDate(*p.PINUsedAt)
		}
		add(keep, id, data)
	}
	for i, r := range p.Reasons {
		if r.Kind == core.ReasonPINReused && p.PIN == core.PINReused {
			continue // the PIN's own line says it
		}
		drop := keep
		if i > 0 {
			drop = dropProducer
		}
		add(drop, msgID("reason_"+r.Kind), map[string]any{"Senders": r.Senders, "Days": r.Days, "Count": r.Count, "Place": r.Place})
	}
	genuine := p.Verdict == core.VerdictGenuine || p.Verdict == core.VerdictSuspicious
	if f := p.FirstVerified; f != nil && genuine && p.PIN != core.PINFirst {
		data := map[string]any{"Date": formatDate(f.At), "Channel": T(lang, channelLabel(f.Channel), nil)}
		if f.Self {
			add(dropProducer, msgFirstVerifiedSelf, data)
		} else {
			add(dropProducer, msgFirstVerified, data)
		}
	}
	return lines
}

// channelLabel names a channel as buyers know it: by its app, or SMS
// whoever carried it.
func channelLabel(channel string) msgID {
	switch channel {
	case "telegram":
		return "channel_telegram"
	case "zalo", "zalosim":
		return "channel_zalo"
	case "web":
		return "channel_web"
	}
	return "channel_sms"
}
