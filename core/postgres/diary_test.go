package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"tracegate/core"
)

func TestRecordEntry(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	lot := s.openLot(t, a)
	s.openLot(t, b) // B's L1 exists too, but is not A's

	at := time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC)
	tests := []struct {
		name  string
		actor *core.Member
		entry core.DiaryEntry
		want  core.ErrorCode
	}{
		{"harvest with quantity", a.member, core.DiaryEntry{LotCode: "L1", Step: core.StepHarvest,
			HappenedAt: at, Quantity: &core.Quantity{Value: "2,5", Unit: "tan"},
			Note: "Thu hoạch đợt 1 — trời nắng", Channel: "sms", MessageRef: "SM1"}, ""},
		{"photo and place", a.member, core.DiaryEntry{LotCode: "l1", Step: core.StepSpray,
			Photos: []string{"telegram:AgAD123"}, Location: &core.Location{Lat: 8.95, Lon: 105.0}, Channel: "telegram"}, ""},
		{"unknown lot", a.member, core.DiaryEntry{LotCode: "L9", Step: core.StepFeed, Channel: "sms"}, core.ENOTFOUND},
		{"another facility's member", b.member, core.DiaryEntry{LotCode: "L2", Step: core.StepFeed, Channel: "sms"}, core.ENOTFOUND},
		{"bad step", a.member, core.DiaryEntry{LotCode: "L1", Step: "dance", Channel: "sms"}, core.EINVALID},
		{"bad unit", a.member, core.DiaryEntry{LotCode: "L1", Step: core.StepFeed,
			Quantity: &core.Quantity{Value: "2", Unit: "pound"}, Channel: "sms"}, core.EINVALID},
		{"off the map", a.member, core.DiaryEntry{LotCode: "L1", Step: core.StepFeed,
			Location: &core.Location{Lat: 91}, Channel: "sms"}, core.EINVALID},
		{"no channel", a.member, core.DiaryEntry{LotCode: "L1", Step: core.StepFeed}, core.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.count(t, `SELECT count(*) FROM diary_entries`)
			e := tt.entry
			err := s.Diary.RecordEntry(ctx, tt.actor, &e)
			wantCode(t, err, tt.want)
			if tt.want != "" && s.count(t, `SELECT count(*) FROM diary_entries`) != before {
				t.Fatal("a refused entry was written")
			}
		})
	}

	entries, err := s.Diary.FindEntries(ctx, lot.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("lot has %d entries, want 2", len(entries))
	}
	h := entries[0]
	if h.Step != core.StepHarvest || !h.HappenedAt.Equal(at) || *h.Quantity != (core.Quantity{Value: "2.5", Unit: "tan"}) ||
		h.Note != "Thu hoạch đợt 1 — trời nắng" || h.MemberID != a.member.ID || h.Channel != "sms" || h.MessageRef != "SM1" {
		t.Fatalf("harvest stored as %+v", h)
	}
	sp := entries[1]
	if !slices.Equal(sp.Photos, []string{"telegram:AgAD123"}) || sp.Location == nil || sp.Location.Lat != 8.95 || sp.Quantity != nil {
		t.Fatalf("spray stored as %+v", sp)
	}
}

func TestUndoLastEntry(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	lot := s.openLot(t, a)
	coworker := &core.Member{FacilityID: a.facility.ID, Name: "Anh Ba", URNs: []core.URN{"tel:+84913000111"}}
	if err := s.Members.CreateMember(ctx, coworker); err != nil {
		t.Fatal(err)
	}
	record := func(m *core.Member, step core.Step) *core.DiaryEntry {
		e := &core.DiaryEntry{LotCode: lot.Code, Step: step, Channel: "sms"}
		if err := s.Diary.RecordEntry(ctx, m, e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	old := record(a.member, core.StepSow)
	feed := record(a.member, core.StepFeed)
	record(coworker, core.StepWater) // the coworker's is newer, but not a's to undo

	undone, err := s.Diary.UndoLastEntry(ctx, a.member)
	if err != nil || undone.ID != feed.ID || undone.Step != core.StepFeed {
		t.Fatalf("undo = %+v, %v; want the feed entry", undone, err)
	}
	// The sow entry is past the window: nothing more to undo.
	if _, err := s.db.Pool.Exec(ctx, `UPDATE diary_entries SET created_at = now() - interval '25 hours' WHERE id = $1`, old.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.Diary.UndoLastEntry(ctx, a.member)
	wantCode(t, err, core.ENOTFOUND)

	entries, _ := s.Diary.FindEntries(ctx, lot.ID)
	if len(entries) != 2 || entries[0].Step != core.StepSow || entries[1].Step != core.StepWater {
		t.Fatalf("after undo the diary is %v", entries)
	}
}
