package dialog

import "tracegate/core"

// Reply is what the dialog answers, before any channel renders it: SMS
// sizes it to segments, Telegram turns the menu into buttons, the web into
// HTML.
type Reply struct {
	Lang  core.Lang
	Lines []Line
	// Menu are numbered choices that answer the pending question; 0
	// cancels. Channels without buttons print them as numbered lines.
	Menu []Choice
	// Link is the provenance page, kept whole by every renderer.
	Link string
	// AskContact asks the person to share their phone number (a Telegram
	// button), to link their account to the member registered with it.
	AskContact bool
}

// Capabilities are what the channel a message came by can do, as the
// channel says: the dialog asks them, never the channel's name.
type Capabilities struct {
	Buttons      bool // menus become buttons
	ShareContact bool // a button that shares the person's own phone number
	Photos       bool // photos can come with a message
	MaxText      int  // characters one message holds; 0 for no limit of its own
}

// Line is a line of text. Drop says which lines a short channel may leave
// out, highest first: 0 is never dropped.
type Line struct {
	Text string
	Drop int
}

// Choice is one numbered menu entry.
type Choice struct {
	Value string // what answering it stands for: a lot code, a step
	Label string
}

// Notice is a message nobody asked for: feedback forwarded to a producer's
// members, a producer's answer relayed to a consumer.
type Notice struct {
	To    core.URN
	Reply Reply
	// Bulk marks one of many sent at once (a recall, a broadcast): it goes
	// after every reply and single notice waiting on its channel.
	Bulk bool
}

// Result is everything one inbound message causes.
type Result struct {
	Intent  string // what the message asked for, for metrics: lookup, diary, answer...
	Replies []Reply
	Notices []Notice
}

// Drop levels for the lines of a lookup answer: the diary summary goes
// first, the verdict and the link never; where the lot's inputs came from
// (one step back) outlasts the certifications.
const (
	keep         = 0
	dropProducer = 1
	dropLot      = 2
	dropOrigins  = 3
	dropCerts    = 4
	dropFeedback = 5
	dropDiary    = 6
)

// LinkLabel names the provenance link where a channel shows it as a
// button.
func LinkLabel(lang core.Lang) string { return T(lang, msgOpenPage, nil) }

// ShareContactLabel names the button that shares a phone number.
func ShareContactLabel(lang core.Lang) string { return T(lang, msgShareContact, nil) }
