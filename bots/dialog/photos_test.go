package dialog_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"tracegate/bots/dialog"
	"tracegate/core"
)

// entriesOfL1 are the entries of the farmer's lot L1, in the order they
// happened.
func (w *world) entriesOfL1(t *testing.T) []*core.DiaryEntry {
	t.Helper()
	farmer, err := w.dialog.Services.Members.FindMemberByURN(context.Background(), "tel:+84912345678")
	if err != nil {
		t.Fatal(err)
	}
	lot, err := w.dialog.Services.Lots.FindLotByCode(context.Background(), farmer.FacilityID, "L1")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := w.dialog.Services.Diary.FindEntries(context.Background(), lot.ID)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// handleAll hands the messages to the dialog in turn and returns what
// the last one caused.
func (w *world) handleAll(t *testing.T, msgs []dialog.Message) *dialog.Result {
	t.Helper()
	var res *dialog.Result
	for i, m := range msgs {
		m.Ref = fmt.Sprintf("M%d", i)
		var err error
		if res, err = w.dialog.Handle(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

// lastSays fails the test unless the last reply says want.
func lastSays(t *testing.T, res *dialog.Result, want string) {
	t.Helper()
	if len(res.Replies) == 0 || !strings.Contains(res.Replies[len(res.Replies)-1].Text(), want) {
		t.Errorf("last answer %+v, want it to say %q", res.Replies, want)
	}
}

// photosOfL1 are the photos of each entry of the farmer's lot L1 that has
// any, in the order the entries happened.
func (w *world) photosOfL1(t *testing.T) []string {
	t.Helper()
	var photos []string
	for _, e := range w.entriesOfL1(t) {
		if len(e.Photos) > 0 {
			photos = append(photos, strings.Join(e.Photos, " "))
		}
	}
	return photos
}

// A photo is never lost on the way to the diary: sent with a command,
// with an answer, or alone while the diary asks or before it does.
func TestPhotosGoOnTheEntry(t *testing.T) {
	const farmer, consumer = core.URN("tel:+84912345678"), core.URN(consumerTel)
	type msg struct {
		from   core.URN
		text   string
		photos []string
	}
	tests := []struct {
		name    string
		msgs    []msg
		answer  string   // in the last reply
		entries []string // the photos of each entry with photos, joined
	}{
		{"with the command", []msg{{farmer, "NK L1 BON 5kg", []string{"mms:a", "mms:b"}}},
			"Đã ghi", []string{"mms:a mms:b"}},
		{"alone, while the lot is asked", []msg{{farmer, "NK", nil}, {farmer, "", []string{"mms:a"}},
			{farmer, "1", nil}, {farmer, "2", nil}, {farmer, "K", nil}},
			"Đã ghi", []string{"mms:a"}},
		{"the question asked again with the photo kept", []msg{{farmer, "NK", nil}, {farmer, "", []string{"mms:a"}}},
			"lô nào", nil},
		{"with the answer to a menu", []msg{{farmer, "NK", nil}, {farmer, "1", []string{"mms:a"}},
			{farmer, "6", []string{"mms:b"}}, {farmer, "12 kg", []string{"mms:c"}}},
			"Đã ghi", []string{"mms:a mms:b mms:c"}},
		{"alone first: the diary asks", []msg{{farmer, "", []string{"mms:a"}}, {farmer, "1", nil},
			{farmer, "6", nil}, {farmer, "", []string{"mms:b"}}},
			"Đã ghi", []string{"mms:a mms:b"}},
		{"a new command drops what an abandoned one kept", []msg{{farmer, "", []string{"mms:a"}},
			{farmer, "NK L1 TUOI", nil}},
			"Đã ghi", nil},
		{"from a consumer", []msg{{consumer, "", []string{"mms:a"}}}, "tệp", nil},
		{"alone while feedback is asked", []msg{{farmer, "GY", nil}, {farmer, "", []string{"mms:a"}}}, "tệp", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			var msgs []dialog.Message
			for _, m := range tt.msgs {
				msgs = append(msgs, dialog.Message{Channel: "sms", URN: m.from, Text: m.text, Photos: m.photos})
			}
			lastSays(t, w.handleAll(t, msgs), tt.answer)
			if entries := w.photosOfL1(t); !slices.Equal(entries, tt.entries) {
				t.Fatalf("entries with photos %q, want %q", entries, tt.entries)
			}
		})
	}
}
