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
			var res *dialog.Result
			for i, m := range tt.msgs {
				var err error
				res, err = w.dialog.Handle(context.Background(), dialog.Message{Channel: "sms", URN: m.from,
					Text: m.text, Photos: m.photos, Ref: fmt.Sprintf("SM%d", i)})
				if err != nil {
					t.Fatal(err)
				}
			}
			if len(res.Replies) == 0 || !strings.Contains(res.Replies[len(res.Replies)-1].Text(), tt.answer) {
				t.Errorf("last answer %+v, want it to say %q", res.Replies, tt.answer)
			}
			var entries []string
			rows, err := w.db.Pool.Query(context.Background(),
				`SELECT array_to_string(photo_refs, ' ') FROM diary_entries WHERE cardinality(photo_refs) > 0 ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var e string
				rows.Scan(&e)
				entries = append(entries, e)
			}
			if rows.Err() != nil || !slices.Equal(entries, tt.entries) {
				t.Fatalf("entries with photos %q, want %q (%v)", entries, tt.entries, rows.Err())
			}
		})
	}
}
