package core

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"
)

// SuspicionPolicy is every rule that makes a genuine code look copied, in
// one place, with its thresholds (configurable: SUSPICION_*):
//
//   - more than MaxLookups lookups by at least MinSenders different
//     senders within the last Days days: one buyer scanning a jar ten
//     times is not a clone, forty shoppers in a week are;
//   - its hidden PIN used again by someone other than its first user;
//   - wrong PINs from MaxWrongPINs different senders, within Days days;
//   - a report of a fake naming it, within Days days.
type SuspicionPolicy struct {
	MaxLookups   int
	MinSenders   int
	Days         int
	MaxWrongPINs int
}

// DefaultSuspicion is the policy unless configured otherwise.
var DefaultSuspicion = SuspicionPolicy{MaxLookups: 10, MinSenders: 3, Days: 30, MaxWrongPINs: 3}

// Window is how far back the policy counts lookups and wrong PINs.
func (p SuspicionPolicy) Window() time.Duration { return time.Duration(p.Days) * 24 * time.Hour }

// LookupHistory is what is known of a code's lookups, this one included,
// and of the reports naming it.
type LookupHistory struct {
	Count int       `json:"count"` // every lookup
	First time.Time `json:"first"`
	// Recent and RecentSenders count the lookups and senders within the
	// policy's window.
	Recent        int  `json:"recent"`
	RecentSenders int  `json:"recent_senders"`
	WrongPINs     int  `json:"wrong_pins"` // senders who gave a wrong PIN, within the window
	PINReused     bool `json:"pin_reused"` // by someone other than its first user, ever
	Reports       int  `json:"reports"`    // reporters, within the window
	// ReportPlace is where the latest report says the fake was bought.
	ReportPlace string `json:"report_place,omitempty"`
}

// Reason kinds, for the words the channels give them.
const (
	ReasonManySenders = "many_senders"
	ReasonPINReused   = "pin_reused"
	ReasonWrongPINs   = "wrong_pins"
	ReasonReported    = "reported"
)

// SuspicionReason is one rule a code broke, with what to say about it.
type SuspicionReason struct {
	Kind    string `json:"kind"`
	Senders int    `json:"senders,omitempty"`
	Days    int    `json:"days,omitempty"`
	Count   int    `json:"count,omitempty"`
	Place   string `json:"place,omitempty"`
}

// Verdict decides on a stamp that exists from its state, its lot (nil
// for none) and its history: a recall comes before anything else; a
// genuine stamp is suspicious for every rule it breaks, said in Reasons.
func (p SuspicionPolicy) Verdict(state StampState, lot *Lot, h LookupHistory) (Verdict, []SuspicionReason) {
	switch {
	case state == StampIssued:
		return VerdictNotActivated, nil
	case state == StampVoid:
		return VerdictVoid, nil
	case lot != nil && lot.Status == LotRecalled:
		return VerdictRecalled, nil
	}
	var reasons []SuspicionReason
	if h.Recent > p.MaxLookups && h.RecentSenders >= p.MinSenders {
		reasons = append(reasons, SuspicionReason{Kind: ReasonManySenders, Senders: h.RecentSenders, Days: p.Days})
	}
	if h.PINReused {
		reasons = append(reasons, SuspicionReason{Kind: ReasonPINReused})
	}
	if p.MaxWrongPINs > 0 && h.WrongPINs >= p.MaxWrongPINs {
		reasons = append(reasons, SuspicionReason{Kind: ReasonWrongPINs, Count: h.WrongPINs, Days: p.Days})
	}
	if h.Reports > 0 {
		reasons = append(reasons, SuspicionReason{Kind: ReasonReported, Count: h.Reports, Place: h.ReportPlace})
	}
	if len(reasons) > 0 {
		return VerdictSuspicious, reasons
	}
	return VerdictGenuine, nil
}

// DerivePIN is a stamp's hidden PIN: six digits of an HMAC of its code
// with a secret key, so it can be printed whenever the sheet is and
// needs no storing; a PIN's 1 in 1,000,000 is guarded by the per-code
// limit on wrong tries.
func DerivePIN(key []byte, code Code) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("pin:" + string(code)))
	sum := mac.Sum(nil)
	return fmt.Sprintf("%06d", binary.BigEndian.Uint64(sum[:8])%1_000_000)
}

// PINShaped says whether s could be a PIN: six digits.
func PINShaped(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// PINTriesPerHour bounds the PIN tries one code takes in an hour, right
// or wrong, from anyone: past it a PIN is not checked (PINLimited), so a
// million PINs take years to try. Twenty leaves the buyer room when a
// shop's shelf of copies is being tried.
const PINTriesPerHour = 20
