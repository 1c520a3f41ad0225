package dialog

import (
	"encoding/json"
	"fmt"
)

// What a pending question asks for.
const (
	askLot     = "lot"
	askStep    = "step"
	askDetails = "details" // quantity and note, optional
	askProduct = "product"
	askRange   = "range"
	askCode    = "code"
	askText    = "text" // feedback text
	askArgs    = "args" // the rest of the command, read by its own parser
)

// pending is a question waiting for its answer, with what the command
// gathered so far. It is stored as JSON on the contact.
type pending struct {
	Ask     string   `json:"ask"`
	Cmd     Command  `json:"cmd"`
	Choices []string `json:"choices,omitempty"` // the values behind the menu's numbers
	Guided  bool     `json:"guided,omitempty"`  // the command came without its parts
}

// freeText reports whether any text answers it, so only a complete new
// command interrupts it.
func (p *pending) freeText() bool { return p.Ask == askText || p.Ask == askDetails || p.Ask == askArgs }

func (p *pending) encode() (json.RawMessage, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode pending question: %w", err)
	}
	return raw, nil
}

// decodePending reads a stored question; nil when there is none.
func decodePending(raw json.RawMessage) (*pending, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var p pending
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("decode pending question: %w", err)
	}
	return &p, nil
}
