package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"tracegate/core"
)

func TestLookupVerdicts(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX Mật ong U Minh", "0912345678")
	s.issue(t, a, 10)
	lot := s.openLot(t, a)
	s.activate(t, a, lot, 1, 5)
	if _, err := s.Stamps.Void(ctx, a.member, core.SerialRange{From: 5, To: 5}); err != nil {
		t.Fatal(err)
	}
	harvested := time.Date(2026, 4, 1, 6, 0, 0, 0, time.UTC)
	packed := harvested.Add(48 * time.Hour)
	for _, e := range []*core.DiaryEntry{
		{LotCode: lot.Code, Step: core.StepHarvest, HappenedAt: harvested, Quantity: &core.Quantity{Value: "120", Unit: "kg"}, Channel: "sms"},
		{LotCode: lot.Code, Step: core.StepPack, HappenedAt: packed, Channel: "sms"},
	} {
		if err := s.Diary.RecordEntry(ctx, a.member, e); err != nil {
			t.Fatal(err)
		}
	}
	genuine := s.codeOf(t, a, 1)
	unknown := unusedCode(t, s)
	mistyped := changeSymbol(genuine, 2)

	tests := []struct {
		name  string
		input string
		want  core.Verdict
	}{
		{"genuine, printed form", genuine.Printed(), core.VerdictGenuine},
		{"genuine, lower case", string(bytes.ToLower([]byte(genuine))), core.VerdictGenuine},
		{"not activated", string(s.codeOf(t, a, 7)), core.VerdictNotActivated},
		{"void", string(s.codeOf(t, a, 5)), core.VerdictVoid},
		{"unknown", string(unknown), core.VerdictUnknown},
		{"mistyped", mistyped, core.VerdictMistyped},
		{"not a code", "xin chào", core.VerdictMistyped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.count(t, `SELECT count(*) FROM lookups`)
			p, err := s.Lookups.Lookup(ctx, core.LookupRequest{Input: tt.input, Channel: "sms", Sender: "tel:+84977000001"})
			if err != nil {
				t.Fatal(err)
			}
			if p.Verdict != tt.want {
				t.Fatalf("verdict %s, want %s", p.Verdict, tt.want)
			}
			if s.count(t, `SELECT count(*) FROM lookups`) != before+1 {
				t.Fatal("the lookup was not recorded")
			}
		})
	}

	p, err := s.Lookups.Lookup(ctx, core.LookupRequest{Input: string(genuine), Channel: "telegram", Sender: "telegram:42"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Code != genuine || p.Serial != 1 || p.Facility.Name != "HTX Mật ong U Minh" || p.Product.Code != "HONEY" ||
		*p.Product.OCOPStars != 4 || p.Product.Certifications[0] != "VietGAP" || p.Lot.Code != lot.Code {
		t.Fatalf("provenance %+v", p)
	}
	if p.Diary.Steps != 2 || !p.Diary.HarvestedAt.Equal(harvested) || !p.Diary.PackedAt.Equal(packed) {
		t.Fatalf("diary summary %+v", p.Diary)
	}
	if p.History.Count != 3 || p.History.RecentSenders != 2 {
		t.Fatalf("history %+v, want 3 lookups by 2 senders", p.History)
	}
	// Senders are stored hashed, never as their number.
	if n := s.count(t, `SELECT count(*) FROM lookups WHERE position('977000001' IN encode(urn_hash, 'escape')) > 0`); n != 0 {
		t.Fatal("a sender's number is stored in the clear")
	}
}

func TestLookupSuspicious(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	s.issue(t, a, 2)
	lot := s.openLot(t, a)
	s.activate(t, a, lot, 1, 2)
	lookup := func(code core.Code, sender string) *core.Provenance {
		t.Helper()
		p, err := s.Lookups.Lookup(ctx, core.LookupRequest{Input: string(code), Channel: "sms", Sender: core.URN(sender)})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	// One buyer checking their jar over and over is not a clone.
	loyal := s.codeOf(t, a, 1)
	for range 20 {
		if p := lookup(loyal, "tel:+84977000001"); p.Verdict != core.VerdictGenuine {
			t.Fatalf("one sender made it %s", p.Verdict)
		}
	}
	// Many shoppers with the same code are.
	cloned := s.codeOf(t, a, 2)
	var last *core.Provenance
	for i := range s.db.Suspicion.MaxLookups + 1 {
		last = lookup(cloned, fmt.Sprintf("tel:+8497700%04d", i%4))
		if i < s.db.Suspicion.MaxLookups && last.Verdict != core.VerdictGenuine {
			t.Fatalf("lookup %d already %s", i+1, last.Verdict)
		}
	}
	if last.Verdict != core.VerdictSuspicious || last.History.Count != s.db.Suspicion.MaxLookups+1 ||
		last.History.RecentSenders != 4 || last.Product == nil || last.History.First.IsZero() {
		t.Fatalf("after %d lookups by 4 senders: %s %+v", last.History.Count, last.Verdict, last.History)
	}
}

func TestLookupRefusesBadRequests(t *testing.T) {
	s := newServices(t)
	for _, req := range []core.LookupRequest{
		{Input: "4K7M2QX95", Channel: "", Sender: "tel:+84977000001"},
		{Input: "4K7M2QX95", Channel: "sms"},
	} {
		_, err := s.Lookups.Lookup(context.Background(), req)
		wantCode(t, err, core.EINVALID)
	}
	if s.count(t, `SELECT count(*) FROM lookups`) != 0 {
		t.Fatal("a refused lookup was recorded")
	}
}

// unusedCode draws a valid code no stamp has.
func unusedCode(t *testing.T, s *services) core.Code {
	for {
		c, err := core.NewCode(nil)
		if err != nil {
			t.Fatal(err)
		}
		if s.count(t, `SELECT count(*) FROM stamps WHERE code = $1`, c) == 0 {
			return c
		}
	}
}
