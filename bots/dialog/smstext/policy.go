package smstext

import (
	"fmt"
	"strings"
)

// Policy is the accent policy, configured as SMS_ACCENTS.
type Policy int

const (
	// Auto drops accents only when that saves a part, or keeps content the
	// accented text would lose to the budget; see [Fit].
	Auto Policy = iota
	// Keep always sends the text as written, accents and all.
	Keep
	// Strip always sends the GSM-7 rewrite of [Plain].
	Strip
)

// String returns the configuration spelling of p.
func (p Policy) String() string {
	switch p {
	case Auto:
		return "auto"
	case Keep:
		return "keep"
	case Strip:
		return "strip"
	}
	return fmt.Sprintf("Policy(%d)", int(p))
}

// ParsePolicy parses SMS_ACCENTS: "auto", "keep" or "strip", in any case.
// An unset variable ("") means Auto; anything else is an error rather than
// a silent default, so a typo in the deployment is noticed.
func ParsePolicy(s string) (Policy, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return Auto, nil
	case "keep":
		return Keep, nil
	case "strip":
		return Strip, nil
	}
	return Auto, fmt.Errorf("smstext: SMS_ACCENTS %q: want auto, keep or strip", s)
}
