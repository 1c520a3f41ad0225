package zalo_test

import (
	"strings"
	"testing"
)

// Whatever a signed event carries is answered without a 5xx: a message,
// a photo, a place, a follow, or JSON Zalo would never send. The fuzzer
// writes the body; the test signs it as Zalo does, so it gets past the
// signature to the code that reads events.
//
//	go test ./bots/zalo -run '^$' -fuzz FuzzWebhook -fuzztime 60s
func FuzzWebhook(f *testing.F) {
	f.Add(textEvent("f0001", consumerID, "HD"))
	f.Add(textEvent("f0002", consumerID, "HD\x00\xff"))
	f.Add(textEvent("f0003", farmerID, "482913"))
	f.Add(imageEvent("f0004", farmerID, "NK L1 BON 5kg", "https://zalo-cdn.example/a.jpg"))
	f.Add(locationEvent("f0005", farmerID, 9.1769, 105.1524))
	f.Add(strings.Replace(locationEvent("f0006", farmerID, 0, 0), `"0"`, `"NaN"`, 1))
	f.Add(followEvent("unfollow", consumerID))
	f.Add(mediaEvent("user_send_sticker", "f0007", consumerID, "sticker"))
	f.Add(`{"app_id":"` + appID + `","event_name":"user_send_text","timestamp":"1","message":{"msg_id":"x"},"sender":{"id":"` + strings.Repeat("9", 40) + `"}}`)
	f.Add(`{"app_id":"` + appID + `","event_name":"follow","timestamp":"1","follower":{"id":"not digits"}}`)
	f.Add(`{"app_id":"` + appID + `","timestamp":"1"}`)
	f.Add(`[]`)
	w := newWorld(f)
	f.Fuzz(func(t *testing.T, event string) {
		if status, body := w.Do(t, webhook(event)); status >= 500 {
			t.Fatalf("%d %s for %q", status, body, event)
		}
	})
}
