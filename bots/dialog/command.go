package dialog

import "tracegate/core"

// Intent is what a message asks for.
type Intent int

const (
	IntentUnknown  Intent = iota
	IntentLookup          // <code> or TX <code>
	IntentFeedback        // GY <code> <text>
	IntentHelp            // HD, ?, HELP
	IntentLang            // VI, EN
	IntentStop            // STOP, TUCHOI
	IntentStart           // START
	IntentLots            // LO
	IntentOpenLot         // LO MOI <product> [note]
	IntentDiary           // NK <lot> <step> [qty unit] [note]
	IntentUndo            // XOA
	IntentActivate        // KH <lot> <serial>[-<serial>]
	IntentVoid            // HUY <serial>[-<serial>]
	IntentReply           // TL <feedback id> <text>
)

// memberOnly reports whether only a facility's members may ask for it.
func (i Intent) memberOnly() bool {
	switch i {
	case IntentLots, IntentOpenLot, IntentDiary, IntentUndo, IntentActivate, IntentVoid, IntentReply:
		return true
	}
	return false
}

// Command is a parsed message. Fields the message did not give stay zero;
// the dialog asks for the ones it needs.
type Command struct {
	Intent Intent
	// Keyword is the command word as the person typed it, for replies.
	Keyword string

	Code     string // lookup, feedback: the code as typed, separators and all
	Text     string // feedback, reply: free text exactly as sent
	Lang     core.Lang
	Product  string // open lot
	Lot      string // diary, activate: as typed
	Step     core.Step
	Quantity *core.Quantity
	Note     string // diary, open lot: exactly as sent
	Range    *core.SerialRange
	// RangeText is a serial range that did not parse, to say so.
	RangeText string
	// QuantityText is a quantity that did not parse, to say so.
	QuantityText string
	FeedbackID   int64
	// Photos and Album are what a diary entry gathers from the messages
	// that record it: photos, or the album that brings them.
	Photos []string `json:",omitempty"`
	Album  string   `json:",omitempty"`
}

// intentNames label intents in metrics and logs.
var intentNames = map[Intent]string{
	IntentUnknown: "unknown", IntentLookup: "lookup", IntentFeedback: "feedback", IntentHelp: "help",
	IntentLang: "lang", IntentStop: "stop", IntentStart: "start", IntentLots: "lots",
	IntentOpenLot: "open_lot", IntentDiary: "diary", IntentUndo: "undo", IntentActivate: "activate",
	IntentVoid: "void", IntentReply: "reply",
}

func (i Intent) String() string { return intentNames[i] }
