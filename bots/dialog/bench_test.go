package dialog_test

import (
	"context"
	"testing"

	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
)

// BenchmarkLookupBySMS is a consumer's whole lookup: parse, the lookup
// service, the localised reply and its SMS rendering.
func BenchmarkLookupBySMS(b *testing.B) {
	w := newWorld(b)
	ctx := context.Background()
	msg := dialog.Message{Channel: "sms", URN: "tel:+84977000001", Text: w.codes["genuine"]}
	for b.Loop() {
		res, err := w.dialog.Handle(ctx, msg)
		if err != nil {
			b.Fatal(err)
		}
		dialog.RenderSMS(res.Replies[0], smstext.Auto, dialog.SMSBudget)
	}
}

// BenchmarkGuidedDiaryEntry is a farmer's three-message guided entry.
func BenchmarkGuidedDiaryEntry(b *testing.B) {
	w := newWorld(b)
	ctx := context.Background()
	for b.Loop() {
		for _, text := range []string{"NK", "1", "3", "20 kg NPK"} {
			if _, err := w.dialog.Handle(ctx, dialog.Message{Channel: "sms", URN: "tel:+84912345678", Text: text}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		dialog.Parse("nhật ký L7 thu hoạch 2,5 tấn mật loại 1, trời nắng")
	}
}
