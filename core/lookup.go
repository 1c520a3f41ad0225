package core

import (
	"context"
	"time"
)

// Verdict is what a lookup concludes about a code.
type Verdict string

const (
	VerdictGenuine      Verdict = "genuine"       // activated, nothing odd
	VerdictNotActivated Verdict = "not_activated" // exists but on no product
	VerdictVoid         Verdict = "void"          // reported lost or damaged
	VerdictSuspicious   Verdict = "suspicious"    // genuine data, but likely cloned
	VerdictUnknown      Verdict = "unknown"       // valid shape, no such stamp
	VerdictMistyped     Verdict = "mistyped"      // check failed: typo
	VerdictRecalled     Verdict = "recalled"      // on a lot its producer or the agency recalled
)

// LookupRequest is a person asking about a code.
type LookupRequest struct {
	Input   string // as typed or scanned
	Channel string
	Sender  URN // hashed before it is stored
	// PIN is the hidden PIN scratched off the stamp, when given with the
	// code ("" for none).
	PIN string
}

// FirstVerification is when a genuine code was first looked up, and how.
type FirstVerification struct {
	At      time.Time `json:"at"`
	Channel string    `json:"channel"`
	// Self says the sender asking now is the one who verified it first.
	Self bool `json:"self"`
}

// PINCheck is what came of a PIN given with a lookup.
type PINCheck string

const (
	PINFirst   PINCheck = "first"   // right, and used now for the first time
	PINOwn     PINCheck = "own"     // right, and used before by this same sender
	PINReused  PINCheck = "reused"  // right, but used before by someone else: a copy's buyer
	PINWrong   PINCheck = "wrong"   // does not match
	PINNone    PINCheck = "none"    // the stamp has no PIN
	PINLimited PINCheck = "limited" // too many tries for this code this hour: not checked
)

// Provenance is the answer to a lookup. For unknown and mistyped codes only
// Input, Code (when parsed) and Verdict are set; for a stamp not on a lot,
// Facility too.
type Provenance struct {
	Input       string        `json:"input"`
	Code        Code          `json:"code,omitempty"`
	Verdict     Verdict       `json:"verdict"`
	Serial      int64         `json:"serial,omitempty"`
	State       StampState    `json:"state,omitempty"`
	ActivatedAt *time.Time    `json:"activated_at,omitempty"`
	Facility    *Facility     `json:"facility,omitempty"`
	Product     *Product      `json:"product,omitempty"`
	Lot         *Lot          `json:"lot,omitempty"`
	Diary       *DiarySummary `json:"diary,omitempty"`
	Inputs      []*Input      `json:"inputs,omitempty"` // what went into the lot, one step back
	History     LookupHistory `json:"history"`
	// FirstVerified is the code's first verification before this one; nil
	// for the first, or a code that is not genuine.
	FirstVerified *FirstVerification `json:"first_verified,omitempty"`
	// PIN is what came of a PIN given with the lookup ("" for none), and
	// PINUsedAt when it was first used, for a PIN used before.
	PIN       PINCheck   `json:"pin,omitempty"`
	PINUsedAt *time.Time `json:"pin_used_at,omitempty"`
	// Reasons say why a code is suspicious, in the order the rules run.
	Reasons []SuspicionReason `json:"reasons,omitempty"`
}

// LookupService answers and records lookups.
type LookupService interface {
	Lookup(ctx context.Context, req LookupRequest) (*Provenance, error)
}

// Validate checks the request's channel and sender.
func (r LookupRequest) Validate() error {
	if !channelPattern.MatchString(r.Channel) {
		return Errorf(EINVALID, "channel %q is not valid", r.Channel)
	}
	if r.Sender == "" {
		return Errorf(EINVALID, "a lookup needs the sender's URN")
	}
	return nil
}
