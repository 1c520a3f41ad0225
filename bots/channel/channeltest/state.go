package channeltest

import (
	"context"
	"math/big"
	"testing"

	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

// Contact is what the gateway remembers of urn: stopped, language.
func (w *World) Contact(t testing.TB, urn core.URN) *core.Contact {
	t.Helper()
	c, err := w.Services.Contacts.FindContact(context.Background(), urn)
	if err != nil {
		t.Fatalf("channeltest: %v", err)
	}
	return c
}

// Stopped says whether urn is stopped: sent STOP, or blocked us.
func (w *World) Stopped(t testing.TB, urn core.URN) bool {
	t.Helper()
	return w.Contact(t, urn).Stopped
}

// Lot is the seeded facility's lot code (L1, L2).
func (w *World) Lot(t testing.TB, code string) *core.Lot {
	t.Helper()
	lot, err := w.Services.Lots.FindLotByCode(context.Background(), w.Seeded.Facility.ID, code)
	if err != nil {
		t.Fatalf("channeltest: lot %s: %v", code, err)
	}
	return lot
}

// Entries is the diary of the seeded facility's lot code, in the order
// its steps happened, without entries taken back.
func (w *World) Entries(t testing.TB, lot string) []*core.DiaryEntry {
	t.Helper()
	entries, err := w.Services.Diary.FindEntries(context.Background(), w.Lot(t, lot).ID)
	if err != nil {
		t.Fatalf("channeltest: diary of %s: %v", lot, err)
	}
	return entries
}

// AllEntries is the diary of every lot of the seeded facility, lot by lot.
func (w *World) AllEntries(t testing.TB) []*core.DiaryEntry {
	t.Helper()
	lots, err := w.Services.Lots.FindLots(context.Background(), w.Seeded.Facility.ID, 100_000)
	if err != nil {
		t.Fatalf("channeltest: lots: %v", err)
	}
	var all []*core.DiaryEntry
	for _, lot := range lots {
		all = append(all, w.Entries(t, lot.Code)...)
	}
	return all
}

// Stamps are the seeded facility's stamps with serials from..to.
func (w *World) Stamps(t testing.TB, from, to int64) []*core.StampInfo {
	t.Helper()
	stamps, err := w.Services.Stamps.FindStamps(context.Background(), w.Seeded.Facility.ID, core.SerialRange{From: from, To: to})
	if err != nil {
		t.Fatalf("channeltest: stamps %d-%d: %v", from, to, err)
	}
	return stamps
}

// StampsOn are the stamps activated on the seeded facility's lot code.
func (w *World) StampsOn(t testing.TB, lot string) []*core.StampInfo {
	t.Helper()
	id := w.Lot(t, lot).ID
	return Filter(w.Stamps(t, 1, int64(len(w.Codes))), func(s *core.StampInfo) bool { return s.LotID != nil && *s.LotID == id })
}

// Member is who holds urn; the test fails when nobody does.
func (w *World) Member(t testing.TB, urn core.URN) *core.Member {
	t.Helper()
	m, err := w.Services.Members.FindMemberByURN(context.Background(), urn)
	if err != nil {
		t.Fatalf("channeltest: member %s: %v", urn, err)
	}
	return m
}

// Feedback is every piece of feedback, oldest first.
func (w *World) Feedback(t testing.TB) []*core.Feedback {
	t.Helper()
	return pgtest.Feedback(t, w.DB.Pool)
}

// Lookups is every recorded lookup, oldest first.
func (w *World) Lookups(t testing.TB) []pgtest.Lookup {
	t.Helper()
	return pgtest.Lookups(t, w.DB.Pool)
}

// QuantityIs says whether an entry's quantity is value in unit, by
// amount: 120 and 120.000 are one harvest.
func QuantityIs(e *core.DiaryEntry, value string, unit core.Unit) bool {
	if e.Quantity == nil || e.Quantity.Unit != unit {
		return false
	}
	got, ok1 := new(big.Rat).SetString(e.Quantity.Value)
	want, ok2 := new(big.Rat).SetString(value)
	return ok1 && ok2 && got.Cmp(want) == 0
}
