package dialog

import "tracegate/core"

// Intent is what a message asks for, by the name metrics and logs use.
type Intent string

// IntentUnknown is a message no command reads: the zero Command's.
const IntentUnknown Intent = ""

func (i Intent) String() string {
	if i == IntentUnknown {
		return "unknown"
	}
	return string(i)
}

// Command is a parsed message. Fields the message did not give stay zero;
// the dialog asks for the ones it needs.
type Command struct {
	Intent Intent
	// Keyword is the command word as the person typed it, for replies.
	Keyword string

	Code     string // lookup, feedback: the code as typed, separators and all
	PIN      string `json:",omitempty"` // lookup: the hidden PIN given after the code
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
	// Party is an input's supplier or a shipment's buyer, as typed, and
	// PartyLot the supplier's own lot; ShipmentID a shipment taken as an
	// input.
	Party      string `json:",omitempty"`
	PartyLot   string `json:",omitempty"`
	ShipmentID int64  `json:",omitempty"`
	// Photos and Album are what a diary entry gathers from the messages
	// that record it: photos, or the album that brings them.
	Photos []string `json:",omitempty"`
	Album  string   `json:",omitempty"`
	// Location is the place a diary entry gathers from a message of its
	// own (a chat app's shared location).
	Location *core.Location `json:",omitempty"`
}
