package web

import (
	"context"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
)

// ZaloSim is the dev simulator's Zalo pane as a channel: a Zalo user in
// the browser, for a newcomer without an Official Account. Replies are
// laid out as bots/zalo lays them out (plain lines, the menu numbered,
// the link last), so the pane shows what a Zalo user would read; the few
// lines are written again here because adapters do not import each
// other. "Sending" one just marks it delivered: the page reads the
// message history.
type ZaloSim struct{}

var _ channel.Channel = ZaloSim{}

func (ZaloSim) Name() string    { return zaloSimName }
func (ZaloSim) Pace() core.Pace { return core.Pace{} }
func (ZaloSim) Send(context.Context, core.URN, channel.Outgoing) (string, error) {
	return newID(), nil
}

// Render is Zalo's: v3's consultation text message has no buttons, so
// the menu stays numbered lines the user answers by typing.
func (ZaloSim) Render(r dialog.Reply) channel.Outgoing {
	return channel.Outgoing{Text: r.Text()}
}

// zaloMaxText is Zalo's limit on a consultation text message, in
// characters, as bots/zalo has it.
const zaloMaxText = 2000

// zaloScheme is the scheme of Zalo users' URNs, the real channel's and
// the simulator's alike: a notice finds the user by either.
const zaloScheme = "zalo"
