package dialog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

// The answers that expose a copy keep the verdict, the PIN's answer, the
// reason and the link within 3 SMS, with accents and without.
func TestAlertsFitThreeSegments(t *testing.T) {
	w := newWorld(t)
	pinned, pin := w.codes["pinned"], w.pins["pinned.pin"]
	wrong := w.pins["pinned2.wrongpin"]
	steps := []struct {
		from, text string
		want       []string // in the reply, whatever is dropped
	}{
		{"tel:+84977000021", w.codes["genuine2"], nil},
		{"tel:+84977000022", w.codes["genuine2"], []string{"lần đầu ngày"}},
		{"tel:+84977000023", pinned + " " + pin, []string{"Mã PIN đúng"}},
		{"tel:+84977000024", pinned + " " + pin, []string{"có thể bị sao chép", "Mã PIN này đã được dùng ngày"}},
		{"tel:+84977000025", w.codes["pinned2"] + " " + wrong, []string{"Mã PIN không khớp"}},
		{"tel:+84977000026", w.codes["pinned2"] + " " + wrong, []string{"Mã PIN không khớp"}},
		{"tel:+84977000027", w.codes["pinned2"] + " " + wrong, []string{"có thể bị sao chép", "Mã PIN không khớp", "3 lần nhập sai"}},
	}
	for i, s := range steps {
		res, err := w.dialog.Handle(context.Background(), dialog.Message{Channel: "sms", URN: core.URN(s.from), Text: s.text, Ref: fmt.Sprint("A", i)})
		if err != nil {
			t.Fatal(err)
		}
		r := res.Replies[0]
		for _, policy := range []smstext.Policy{smstext.Keep, smstext.Strip} {
			fitted := dialog.RenderSMS(r, policy, dialog.SMSBudget)
			text := fitted.Text
			if policy == smstext.Strip {
				text = core.Fold(text)
			}
			if fitted.Segments.Parts > dialog.SMSBudget || !strings.Contains(fitted.Text, "/t/") {
				t.Fatalf("step %d (%v): %d SMS: %q", i, policy, fitted.Segments.Parts, fitted.Text)
			}
			for _, want := range s.want {
				if policy == smstext.Strip {
					want = core.Fold(want)
				}
				if !strings.Contains(text, want) {
					t.Fatalf("step %d (%v) dropped %q: %q", i, policy, want, fitted.Text)
				}
			}
		}
	}
}
