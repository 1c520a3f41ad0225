package postgres_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"tracegate/core"
)

// pinWorld is a producer with two plain stamps and two with hidden PINs,
// all activated.
func pinWorld(t *testing.T) (*services, producer, []*core.StampInfo) {
	t.Helper()
	s := newServices(t)
	a := s.newProducer(t, "HTX A", "0912345678")
	s.issue(t, a, 2)
	if _, err := s.Stamps.IssueBatch(context.Background(), a.facility.ID, 2, true); err != nil {
		t.Fatal(err)
	}
	lot := s.openLot(t, a)
	s.activate(t, a, lot, 1, 4)
	stamps, err := s.Stamps.FindStamps(context.Background(), a.facility.ID, core.SerialRange{From: 1, To: 4})
	if err != nil {
		t.Fatal(err)
	}
	return s, a, stamps
}

func (s *services) look(t *testing.T, code core.Code, sender, pin string) *core.Provenance {
	t.Helper()
	p, err := s.Lookups.Lookup(context.Background(), core.LookupRequest{Input: string(code), Channel: "sms", Sender: core.URN(sender), PIN: pin})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The first lookup of a genuine code is kept; a later one by someone else
// is told when and how, the same sender that it was their own.
func TestFirstVerification(t *testing.T) {
	s, _, stamps := pinWorld(t)
	code := stamps[0].Code
	if p := s.look(t, code, "tel:+84977000001", ""); p.FirstVerified != nil || p.Verdict != core.VerdictGenuine {
		t.Fatalf("the first lookup: %+v", p.FirstVerified)
	}
	p := s.look(t, code, "telegram:42", "")
	if f := p.FirstVerified; f == nil || f.Self || f.Channel != "sms" || f.At.IsZero() {
		t.Fatalf("a second sender sees %+v", f)
	}
	if f := s.look(t, code, "tel:+84977000001", "").FirstVerified; f == nil || !f.Self {
		t.Fatalf("the first sender again sees %+v", f)
	}
	// An unknown or mistyped code is never verified.
	if p := s.look(t, "000000000", "tel:+84977000001", ""); p.FirstVerified != nil {
		t.Fatal("an unknown code was verified")
	}
}

func TestPINs(t *testing.T) {
	s, _, stamps := pinWorld(t)
	plain, pinned, other := stamps[0], stamps[2], stamps[3]
	if plain.PIN != "" || len(pinned.PIN) != 6 || pinned.PIN == other.PIN {
		t.Fatalf("PINs %q %q %q", plain.PIN, pinned.PIN, other.PIN)
	}
	wrong := fmt.Sprintf("%06d", (mustAtoi(t, pinned.PIN)+1)%1_000_000)
	tests := []struct {
		name    string
		code    core.Code
		sender  string
		pin     string
		want    core.PINCheck
		verdict core.Verdict
	}{
		{"the right PIN, first", pinned.Code, "tel:+84977000001", pinned.PIN, core.PINFirst, core.VerdictGenuine},
		{"the first buyer again, before anyone else", pinned.Code, "tel:+84977000001", pinned.PIN, core.PINOwn, core.VerdictGenuine},
		{"the same PIN again, by another", pinned.Code, "tel:+84977000002", pinned.PIN, core.PINReused, core.VerdictSuspicious},
		// The first buyer again (a page reloaded, an SMS sent twice): their
		// own use, and since someone else reused it, still suspicious.
		{"the first buyer again", pinned.Code, "tel:+84977000001", pinned.PIN, core.PINOwn, core.VerdictSuspicious},
		{"a wrong PIN", other.Code, "tel:+84977000003", wrong, core.PINWrong, core.VerdictGenuine},
		{"a stamp without a PIN", plain.Code, "tel:+84977000003", "123456", core.PINNone, core.VerdictGenuine},
		{"no PIN given", other.Code, "tel:+84977000003", "", "", core.VerdictGenuine},
		{"not six digits", other.Code, "tel:+84977000003", "abc", core.PINWrong, core.VerdictGenuine},
	}
	for _, tt := range tests {
		p := s.look(t, tt.code, tt.sender, tt.pin)
		if p.PIN != tt.want || p.Verdict != tt.verdict {
			t.Fatalf("%s: %s %s, want %s %s", tt.name, p.PIN, p.Verdict, tt.want, tt.verdict)
		}
		if tt.want == core.PINReused && (p.PINUsedAt == nil || len(p.Reasons) == 0 || p.Reasons[0].Kind != core.ReasonPINReused) ||
			tt.want == core.PINOwn && p.PINUsedAt == nil {
			t.Fatalf("%s: used at %v, reasons %+v", tt.name, p.PINUsedAt, p.Reasons)
		}
	}
}

// Wrong PINs count toward suspicion, and past the hourly limit a PIN is
// not checked at all, the right one included.
func TestWrongPINs(t *testing.T) {
	s, _, stamps := pinWorld(t)
	pinned := stamps[3]
	wrong := fmt.Sprintf("%06d", (mustAtoi(t, pinned.PIN)+7)%1_000_000)
	for i := 1; i <= core.PINTriesPerHour; i++ {
		p := s.look(t, pinned.Code, fmt.Sprintf("tel:+8497700%04d", i), wrong)
		if p.PIN != core.PINWrong {
			t.Fatalf("wrong PIN %d: %s", i, p.PIN)
		}
		suspicious := i >= s.db.Suspicion.MaxWrongPINs
		if (p.Verdict == core.VerdictSuspicious) != suspicious {
			t.Fatalf("after %d wrong PINs: %s %+v", i, p.Verdict, p.Reasons)
		}
	}
	p := s.look(t, pinned.Code, "tel:+84977009999", pinned.PIN)
	if p.PIN != core.PINLimited {
		t.Fatalf("the right PIN past the limit: %s", p.PIN)
	}
	s.db.Pool.Exec(context.Background(), `UPDATE stamps SET pin_tries_since = pin_tries_since - interval '2 hours'`)
	if p := s.look(t, pinned.Code, "tel:+84977009999", pinned.PIN); p.PIN != core.PINFirst {
		t.Fatalf("the right PIN an hour later: %s", p.PIN)
	}
}

// Buyers with the same PIN at the same moment, on two gateway processes:
// one is its first use, the others are told it was used.
func TestPINUsedOnceAtOnce(t *testing.T) {
	s, _, stamps := pinWorld(t)
	processes := []*services{s, s.process(t)}
	pinned := stamps[2]
	var mu sync.Mutex
	got := map[core.PINCheck]int{}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p, err := processes[i%2].Lookups.Lookup(context.Background(), core.LookupRequest{Input: string(pinned.Code), Channel: "sms",
				Sender: core.URN(fmt.Sprintf("tel:+8497700%04d", i)), PIN: pinned.PIN})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got[p.PIN]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if got[core.PINFirst] != 1 || got[core.PINReused] != 7 {
		t.Fatalf("answers %v, want one first use", got)
	}
}

// A batch with PINs prints them: the CSV's pin column.
func TestPINsOfABatch(t *testing.T) {
	s, a, stamps := pinWorld(t)
	batches, err := s.Stamps.FindBatches(context.Background(), a.facility.ID)
	if err != nil || len(batches) != 2 || !batches[0].PIN || batches[1].PIN {
		t.Fatalf("batches %+v, %v", batches, err)
	}
	var pins []string
	err = s.Stamps.EachStampOfBatch(context.Background(), batches[0].ID, func(st core.Stamp) error {
		pins = append(pins, st.PIN)
		return nil
	})
	if err != nil || len(pins) != 2 || pins[0] != stamps[2].PIN || pins[1] != stamps[3].PIN {
		t.Fatalf("pins %v, %v", pins, err)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A PIN tried on a stamp not on a product yet is not checked, so it is
// not used up before the buyer scratches it.
func TestPINOfAStampInTheDrawer(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	if _, err := s.Stamps.IssueBatch(ctx, a.facility.ID, 1, true); err != nil {
		t.Fatal(err)
	}
	stamps, _ := s.Stamps.FindStamps(ctx, a.facility.ID, core.SerialRange{From: 1, To: 1})
	if p := s.look(t, stamps[0].Code, "tel:+84912345678", stamps[0].PIN); p.PIN != "" || p.Verdict != core.VerdictNotActivated {
		t.Fatalf("a PIN on an issued stamp: %q %s", p.PIN, p.Verdict)
	}
	lot := s.openLot(t, a)
	s.activate(t, a, lot, 1, 1)
	if p := s.look(t, stamps[0].Code, "tel:+84977000001", stamps[0].PIN); p.PIN != core.PINFirst {
		t.Fatalf("the buyer's PIN after activation: %s", p.PIN)
	}
}

// Guesses sent at once, to two gateway processes, take the hour's tries
// one after the other: no more than PINTriesPerHour are checked.
func TestPINTriesAtOnce(t *testing.T) {
	s, _, stamps := pinWorld(t)
	processes := []*services{s, s.process(t)}
	pinned := stamps[3]
	wrong := fmt.Sprintf("%06d", (mustAtoi(t, pinned.PIN)+3)%1_000_000)
	var mu sync.Mutex
	got := map[core.PINCheck]int{}
	var wg sync.WaitGroup
	for i := range core.PINTriesPerHour + 10 {
		wg.Go(func() {
			p, err := processes[i%2].Lookups.Lookup(context.Background(), core.LookupRequest{Input: string(pinned.Code), Channel: "sms",
				Sender: core.URN(fmt.Sprintf("tel:+8497701%04d", i)), PIN: wrong})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got[p.PIN]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if got[core.PINWrong] != core.PINTriesPerHour || got[core.PINLimited] != 10 {
		t.Fatalf("answers %v", got)
	}
}
