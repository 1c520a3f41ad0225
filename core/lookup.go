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

// SuspicionPolicy says when a genuine code's lookups look like a clone's:
// more than MaxLookups lookups from at least MinSenders different senders.
// One buyer scanning a jar ten times is not a clone; forty shoppers are.
type SuspicionPolicy struct {
	MaxLookups int
	MinSenders int
}

// DefaultSuspicion is the policy unless configured otherwise.
var DefaultSuspicion = SuspicionPolicy{MaxLookups: 10, MinSenders: 3}

// LookupHistory is what is known of a code's lookups, this one included.
type LookupHistory struct {
	Count   int       `json:"count"`
	Senders int       `json:"senders"`
	First   time.Time `json:"first"`
}

// Verdict decides on a stamp that exists from its state, its lot (nil
// for none) and its history: a recall comes before anything else.
func (p SuspicionPolicy) Verdict(state StampState, lot *Lot, h LookupHistory) Verdict {
	switch {
	case state == StampIssued:
		return VerdictNotActivated
	case state == StampVoid:
		return VerdictVoid
	case lot != nil && lot.Status == LotRecalled:
		return VerdictRecalled
	}
	if h.Count > p.MaxLookups && h.Senders >= p.MinSenders {
		return VerdictSuspicious
	}
	return VerdictGenuine
}

// LookupRequest is a person asking about a code.
type LookupRequest struct {
	Input   string // as typed or scanned
	Channel string
	Sender  URN // hashed before it is stored
}

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
