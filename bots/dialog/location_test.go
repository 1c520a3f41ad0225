package dialog_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"tracegate/bots/dialog"
	"tracegate/core"
)

// placesOfL1 are the locations of the farmer's lot L1's entries that have
// one, as "lat,lon", in the order the entries happened.
func (w *world) placesOfL1(t *testing.T) []string {
	t.Helper()
	var places []string
	for _, e := range w.entriesOfL1(t) {
		if e.Location != nil {
			places = append(places, fmt.Sprintf("%v,%v", e.Location.Lat, e.Location.Lon))
		}
	}
	return places
}

// A location comes as a message of its own on Zalo and Telegram: after
// the entry's words, before them or while the diary asks, it goes on
// that entry.
func TestLocationGoesOnTheEntry(t *testing.T) {
	const farmer, consumer = core.URN("tel:+84912345678"), core.URN(consumerTel)
	here, there := &core.Location{Lat: 9.1769, Lon: 105.1524}, &core.Location{Lat: 9.3, Lon: 104.9}
	type msg struct {
		from  core.URN
		text  string
		place *core.Location
	}
	tests := []struct {
		name   string
		msgs   []msg
		answer string   // in the last reply
		places []string // the locations of L1's entries that have one
	}{
		{"after the entry", []msg{{farmer, "NK L1 BON 5kg", nil}, {farmer, "", here}},
			"Đã thêm vị trí vào nhật ký lô L1", []string{"9.1769,105.1524"}},
		{"with the entry", []msg{{farmer, "NK L1 BON 5kg", here}}, "Đã ghi", []string{"9.1769,105.1524"}},
		{"before the entry: the diary asks", []msg{{farmer, "", here}, {farmer, "1", nil}, {farmer, "6", nil}, {farmer, "2 kg", nil}},
			"Đã ghi", []string{"9.1769,105.1524"}},
		{"while the diary asks", []msg{{farmer, "NK L1", nil}, {farmer, "", here}, {farmer, "6", nil}, {farmer, "2 kg", nil}},
			"Đã ghi", []string{"9.1769,105.1524"}},
		{"as the details asked for", []msg{{farmer, "NK L1", nil}, {farmer, "6", nil}, {farmer, "", here}},
			"Đã ghi", []string{"9.1769,105.1524"}},
		{"a second one starts another entry, the first kept", []msg{{farmer, "NK L1 BON 5kg", nil}, {farmer, "", here}, {farmer, "", there}},
			"lô nào", []string{"9.1769,105.1524"}},
		{"off the map", []msg{{farmer, "NK L1 BON 5kg", nil}, {farmer, "", &core.Location{Lat: 91, Lon: 0}}},
			"chưa ghi được", nil},
		{"from a consumer", []msg{{consumer, "", here}}, "tệp", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			// The fixture's diary was kept long ago, not minutes before.
			if _, err := w.db.Pool.Exec(context.Background(), `UPDATE diary_entries SET created_at = happened_at`); err != nil {
				t.Fatal(err)
			}
			var msgs []dialog.Message
			for _, m := range tt.msgs {
				msgs = append(msgs, dialog.Message{Channel: "zalo", URN: m.from, Text: m.text, Location: m.place})
			}
			lastSays(t, w.handleAll(t, msgs), tt.answer)
			if places := w.placesOfL1(t); !slices.Equal(places, tt.places) {
				t.Fatalf("entries with a place %q, want %q", places, tt.places)
			}
		})
	}
}
