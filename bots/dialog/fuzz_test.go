package dialog_test

import (
	"context"
	"strings"
	"testing"

	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

// FuzzDialog sends anything, as a farmer and as a stranger, through the
// parser, the dialog and the SMS renderer: nothing panics, every message
// gets an answer, and no answer is empty or over the segment budget.
func FuzzDialog(f *testing.F) {
	for _, seed := range []string{
		"NK L1 BON NPK 20kg", "nhật ký", "1", "0", "KH L1 1-10", "KH", "HUY 1-2", "LO MOI MATONG",
		"GY 4K7M2QX95 ngon", "TX", "4K7M-2QX9-5", "TL 1 cảm ơn", "XOA", "EN", "VI", "STOP", "?",
		"", "   ", "NK L1 THU 2,5,5 tan", "KH L1 99999999999999-1", "🍯🍯🍯", strings.Repeat("Mật ong ", 300),
	} {
		f.Add(seed, true)
		f.Add(seed, false)
	}
	w := newWorld(f)
	f.Fuzz(func(t *testing.T, text string, asFarmer bool) {
		dialog.Parse(text) // must not panic
		from := core.URN("tel:+84977000005")
		if asFarmer {
			from = "tel:+84912345678"
		}
		res, err := w.dialog.Handle(context.Background(), dialog.Message{Channel: "sms", URN: from, Text: text})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if len(res.Replies) == 0 {
			t.Fatalf("%q got no reply", text)
		}
		for _, r := range append(res.Replies, noticeReplies(res)...) {
			for _, policy := range []smstext.Policy{smstext.Auto, smstext.Keep, smstext.Strip} {
				fitted := dialog.RenderSMS(r, policy, dialog.SMSBudget)
				if strings.TrimSpace(fitted.Text) == "" || fitted.Segments.Parts > dialog.SMSBudget {
					t.Fatalf("%q answered %q in %d parts", text, fitted.Text, fitted.Segments.Parts)
				}
			}
		}
	})
}

func noticeReplies(res *dialog.Result) []dialog.Reply {
	var rs []dialog.Reply
	for _, n := range res.Notices {
		rs = append(rs, n.Reply)
	}
	return rs
}
