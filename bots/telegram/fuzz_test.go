package telegram_test

import (
	"testing"
)

// Whatever arrives at the webhook with the right secret is answered
// without a 5xx: a message, a button, a membership change, or JSON no
// Bot API would send.
//
//	go test ./bots/telegram -run '^$' -fuzz FuzzWebhook -fuzztime 60s
func FuzzWebhook(f *testing.F) {
	f.Add(textUpdate(1, consumerID, "HD"))
	f.Add(withNUL(textUpdate(2, consumerID, "HD\x00")))
	f.Add(withNUL(callbackUpdate(3, consumerID, "1\x00")))
	f.Add(photoUpdate(4, farmerID, "NK L1 BON 5kg"))
	f.Add(groupUpdate(5, consumerID, "/help@TracegateBot", true))
	f.Add(chatMemberUpdate(6, consumerID, "kicked"))
	f.Add(`{"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"}}}`)
	f.Add(`{"update_id":8,"message":{"message_id":1,"date":1,"from":{"id":-5},"chat":{"id":-5,"type":"channel"},"text":"\ud800"}}`)
	f.Add(albumUpdate(9, farmerID, "13862", "AgAD-a1", "NK L1 THU 12kg"))
	f.Add(albumUpdate(10, farmerID, "13862", "AgAD-a2", ""))
	f.Add(`[]`)
	w := newWorld(f)
	f.Fuzz(func(t *testing.T, update string) {
		if status := w.post(t, update, secret); status >= 500 {
			t.Fatalf("%d for %q", status, update)
		}
	})
}
