package core

import (
	"slices"
	"testing"
)

// Every rule of the policy, alone and together, and what comes first.
func TestSuspicionRules(t *testing.T) {
	p := DefaultSuspicion
	recalled := &Lot{Status: LotRecalled}
	many := LookupHistory{Recent: 11, RecentSenders: 3}
	tests := []struct {
		name    string
		state   StampState
		lot     *Lot
		h       LookupHistory
		verdict Verdict
		kinds   []string
	}{
		{"nothing odd", StampActivated, nil, LookupHistory{Recent: 3, RecentSenders: 3}, VerdictGenuine, nil},
		{"one buyer, often", StampActivated, nil, LookupHistory{Recent: 40, RecentSenders: 1}, VerdictGenuine, nil},
		{"many buyers", StampActivated, nil, many, VerdictSuspicious, []string{ReasonManySenders}},
		{"old lookups do not count", StampActivated, nil, LookupHistory{Count: 40, Recent: 2, RecentSenders: 2}, VerdictGenuine, nil},
		{"a PIN used twice", StampActivated, nil, LookupHistory{PINReused: true}, VerdictSuspicious, []string{ReasonPINReused}},
		{"two wrong PINs", StampActivated, nil, LookupHistory{WrongPINs: 2}, VerdictGenuine, nil},
		{"three wrong PINs", StampActivated, nil, LookupHistory{WrongPINs: 3}, VerdictSuspicious, []string{ReasonWrongPINs}},
		{"reported", StampActivated, nil, LookupHistory{Reports: 1, ReportPlace: "chợ Phường 8"}, VerdictSuspicious, []string{ReasonReported}},
		{"everything", StampActivated, nil, LookupHistory{Recent: 11, RecentSenders: 3, PINReused: true, WrongPINs: 4, Reports: 2},
			VerdictSuspicious, []string{ReasonManySenders, ReasonPINReused, ReasonWrongPINs, ReasonReported}},
		{"a recall comes first", StampActivated, recalled, many, VerdictRecalled, nil},
		{"not activated", StampIssued, nil, many, VerdictNotActivated, nil},
		{"void", StampVoid, nil, many, VerdictVoid, nil},
	}
	for _, tt := range tests {
		verdict, reasons := p.Verdict(tt.state, tt.lot, tt.h)
		var kinds []string
		for _, r := range reasons {
			kinds = append(kinds, r.Kind)
		}
		if verdict != tt.verdict || !slices.Equal(kinds, tt.kinds) {
			t.Errorf("%s: %s %v, want %s %v", tt.name, verdict, kinds, tt.verdict, tt.kinds)
		}
	}
}

func TestDerivePIN(t *testing.T) {
	a, b := DerivePIN([]byte("k1"), "4K7M2QX95"), DerivePIN([]byte("k1"), "4K7M2QX96")
	if !PINShaped(a) || !PINShaped(b) || a == b || DerivePIN([]byte("k2"), "4K7M2QX95") == a || DerivePIN([]byte("k1"), "4K7M2QX95") != a {
		t.Fatalf("PINs %q %q", a, b)
	}
}
